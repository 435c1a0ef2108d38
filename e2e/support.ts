// Shared by the browser specs: the demo password (playwright.config.ts starts the server with it)
// and the collector of page errors that every spec asserts empty at its end.
import type { Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo-password';

/** Records every uncaught page error and console.error of the page (into `into`, returned). */
export function collectErrors(page: Page, into: string[] = []): string[] {
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(`console.error: ${m.text()} (${m.location().url})`);
  });
  return into;
}

/** One FIX 4.4 message with correct BodyLength and CheckSum, SOH-delimited. */
export function fixMessage(fields: [number, string][]): string {
  const body = fields.map(([t, v]) => `${t}=${v}\x01`).join('');
  const head = `8=FIX.4.4\x019=${Buffer.byteLength(body, 'latin1')}\x01`;
  let sum = 0;
  for (const ch of head + body) sum += ch.charCodeAt(0) & 0xff;
  return `${head}${body}10=${String(sum % 256).padStart(3, '0')}\x01`;
}
