// An author uses the Parser Bench on the demo's confirmations file: preview per output, a quick
// test against the contract in force, then a backtest over every uploaded confirmations file.
// Fails on any console error or uncaught page error.
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, DEMO_PASSWORD as PASSWORD } from './support';

test('author previews a file, tests it against a contract and backtests every file of the kind', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/login?next=/bench');
  await page.getByLabel('Username').fill('author');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Parser Bench' })).toBeVisible();

  // The file list is fetched by the page once it is interactive: the demo's FIX log is listed
  // for the default parser (the demo dataset is uploaded on first start).
  await expect(page.getByTestId('bench-upload')).toContainText('fix.log', { timeout: 120_000 });
  await page.getByTestId('bench-parser').selectOption('confirmations_csv');
  await expect(page.getByTestId('bench-upload')).toContainText('confirmations');
  await expect(page.getByTestId('bench-upload')).not.toContainText('fix.log');
  await expect(page.getByTestId('bench-contract')).toContainText('confirmations v');
  await page.getByRole('button', { name: 'Preview' }).click();
  const output = page.getByTestId('bench-output-confirmations');
  await expect(output).toBeVisible();
  await expect(output).toContainText('exec_id');

  await expect(page.getByTestId('bench-contract')).not.toHaveValue('');
  await page.getByRole('button', { name: 'Test this file' }).click();
  await expect(page.getByTestId('bench-test-result')).toContainText(/\d+ rows, \d+ quarantined/);

  await page.getByRole('button', { name: 'Backtest all files' }).click();
  await expect(page.getByTestId('bench-backtest')).toContainText(/: (done|stopped), \d+ of \d+ files/, { timeout: 60_000 });

  expect(errors).toEqual([]);
});
