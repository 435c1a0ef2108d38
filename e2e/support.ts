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
