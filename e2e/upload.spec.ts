// Ops uploads a FIX log, watches the job's progress, opens the job and reads the quarantine
// summary. Fails on any console error or uncaught page error.
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, DEMO_PASSWORD as PASSWORD, fixMessage } from './support';

/** `orders` orders (new order, ack, fill); every 10th new order has an unreadable price (quarantined). */
function fixLog(orders: number): string {
  const lines: string[] = [];
  let seq = 1;
  const ts = (i: number) => `20240102-10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000`;
  const h = (type: string, i: number, from: string, to: string): [number, string][] => [[35, type], [49, from], [56, to], [34, String(seq++)], [52, ts(i)]];
  for (let i = 0; i < orders; i++) {
    const price = i % 10 === 0 ? '12..5' : `${100 + (i % 7)}.5`;
    lines.push(fixMessage([...h('D', i, 'E2EBUY', 'E2ESELL'), [11, `E2E-${i}`], [55, 'IBM'], [54, '2'], [38, '10'], [40, '2'], [44, price], [60, ts(i)]]));
    lines.push(fixMessage([...h('8', i, 'E2ESELL', 'E2EBUY'), [37, `X${i}`], [11, `E2E-${i}`], [17, `A${i}`], [150, '0'], [39, '0'], [55, 'IBM'], [54, '2'], [38, '10'], [14, '0'], [151, '10'], [6, '0'], [60, ts(i)]]));
    lines.push(fixMessage([...h('8', i, 'E2ESELL', 'E2EBUY'), [37, `X${i}`], [11, `E2E-${i}`], [17, `F${i}`], [150, 'F'], [39, '2'], [55, 'IBM'], [54, '2'], [38, '10'], [32, '10'], [31, '100.5'], [14, '10'], [151, '0'], [6, '100.5'], [60, ts(i)]]));
  }
  return lines.join('\n') + '\n';
}

test('ops uploads a FIX log, watches the job and reads its quarantine summary', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/login?next=/upload');
  await page.getByLabel('Username').fill('ops');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/upload$/);
  // A file chosen before React hydrates the form reaches no handler, and Upload stays disabled.
  await expect(page.getByTestId('upload-form')).toHaveAttribute('data-ready', 'true');

  await page.getByTestId('file-input').setInputFiles({ name: 'e2e-session.fix', mimeType: 'text/plain', buffer: Buffer.from(fixLog(200), 'latin1') });
  await page.getByRole('radio', { name: 'FIX log' }).check();
  await page.getByRole('button', { name: 'Upload', exact: true }).click();

  const result = page.getByTestId('upload-result');
  await expect(result).toBeVisible();
  await expect(result.getByRole('progressbar', { name: 'Job progress' })).toBeVisible();
  // 20 of 600 rows quarantined (3.3 %): within the default policy, so PARTIAL_SUCCESS.
  await expect(result.getByTestId('job-status')).toHaveText('PARTIAL_SUCCESS', { timeout: 90_000 });
  // The upload page follows the job's break-detection pass to its end (ops may not open the breaks: no link).
  await expect(result.getByTestId('upload-job-breaks')).toContainText('Breaks detected', { timeout: 60_000 });
  await expect(result.getByTestId('upload-job-breaks').getByRole('link')).toHaveCount(0);

  await result.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('job-status')).toHaveText('PARTIAL_SUCCESS');
  // The break-detection pass after the promotion: shown as it runs, then done.
  await expect(page.getByTestId('job-breaks')).toContainText('Breaks detected', { timeout: 60_000 });
  await expect(page.getByTestId('job-breaks')).toContainText(/^Breaks detected in /);
  // An ops user may not read the breaks: the page links to none (the walkthrough's analyst gets the link).
  await expect(page.getByTestId('job-breaks').getByRole('link')).toHaveCount(0);
  // The steps the pass recorded on the job, with their times (while it runs: the step it is in).
  const steps = page.getByTestId('job-breaks-steps');
  await steps.getByText('Steps of the pass').click();
  await expect(steps.getByRole('listitem').filter({ hasText: 'linking orders into chains' })).toHaveText(/^linking orders into chains \(ClOrdID, OrigClOrdID\): \d/);
  await expect(steps.getByRole('listitem')).toHaveCount(17);
  await expect(page.getByRole('heading', { name: 'Quarantine summary' })).toBeVisible();
  const summary = page.getByRole('table', { name: 'Quarantine summary of fix_order_events' });
  await expect(summary).toBeVisible();
  const firstType = summary.getByRole('row').nth(1);
  await expect(firstType.getByRole('cell').nth(1)).toHaveText('20');
  await expect(firstType).toContainText('price = "12..5"');
  await expect(page.getByRole('table', { name: 'Lineage' })).toContainText('e2e-session.fix');

  // The jobs list shows it with its quarantine share.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Jobs' })).toContainText('e2e-session.fix');
  expect(errors).toEqual([]);
});
