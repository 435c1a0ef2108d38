// Ops drives a pipeline from the /pipelines page: applies a definition over a drop directory under
// the server's PIPELINE_ROOT (DATA_DIR/inbox), runs it for a logical date (one file selected, one
// job, a snapshot hash), runs the same date again (a no-op that says so), and finds the run on the
// job's page. Fails on any console error or uncaught page error.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { collectErrors, DEMO_PASSWORD as PASSWORD } from './support';

const HEADER = 'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty';

test('ops applies a pipeline, runs a logical date twice and sees the run on its job', async ({ page }) => {
  const dataDir = process.env.E2E_DATA_DIR;
  expect(dataDir, 'playwright.config.ts sets E2E_DATA_DIR for the test server').toBeTruthy();
  const drop = path.join(dataDir!, 'inbox', 'e2e-desk');
  mkdirSync(drop, { recursive: true });
  const file = path.join(drop, 'conf-2024-03-05.csv');
  writeFileSync(file, `${HEADER}\nPIPE1,OP1,XP1,AAPL,BUY,100,101.25,USD,2024-03-05,2024-03-06,2024-03-05T10:00:00Z,ACC1,BRKA\n`);
  const mtime = new Date('2024-03-05T10:00:00Z');
  utimesSync(file, mtime, mtime);

  const errors = collectErrors(page);
  await page.goto('/login?next=/pipelines');
  await page.getByLabel('Username').fill('ops');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Pipelines', exact: true })).toBeVisible();

  const definition = { name: 'e2e-desk', source: { dir: 'e2e-desk' }, parser: 'confirmations_csv', filters: { glob: '*.csv', since: 'P1D' } };
  await page.getByLabel('pipeline definition').fill(JSON.stringify(definition, null, 2));
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('e2e-desk: version 1 applied')).toBeVisible();

  await page.getByLabel('logical date for e2e-desk').fill('2024-03-05');
  await page.getByRole('button', { name: 'Run' }).click();
  // The runs table follows the "Runs" heading (the definitions table above also shows the
  // watermark, which holds the same date).
  const runsTable = page.locator('h2:text-is("Runs") + table');
  const run = runsTable.getByRole('row').filter({ hasText: 'e2e-desk' }).filter({ hasText: '2024-03-05' });
  await expect(run).toContainText('completed');
  await expect(run.locator('code')).toHaveText(/^[0-9a-f]{12}$/);
  const jobLink = run.getByRole('link');
  await expect(jobLink).toHaveCount(1);

  await page.getByLabel('logical date for e2e-desk').fill('2024-03-05');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByText(/e2e-desk 2024-03-05: Already run for 2024-03-05/)).toBeVisible();
  await expect(runsTable.getByRole('row').filter({ hasText: 'e2e-desk' }).filter({ hasText: '2024-03-05' })).toHaveCount(1);

  await jobLink.click();
  await expect(page.getByTestId('job-pipeline')).toContainText('e2e-desk');
  await expect(page.getByTestId('job-pipeline')).toContainText('2024-03-05');

  expect(errors).toEqual([]);
});
