// Ops reviews quarantine across jobs: the demo's quarantined confirmations are listed, a row's
// detail shows every violation, the original values and the raw source bytes from the upload;
// the row's job shows where each quarantine setting came from; the global setting page.
// Fails on any console error or uncaught page error.
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, DEMO_PASSWORD as PASSWORD } from './support';

test('ops filters quarantined rows and reads one row down to its raw bytes', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/login?next=/quarantine');
  await page.getByLabel('Username').fill('ops');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Quarantine', exact: true })).toBeVisible();

  // The demo's confirmations jobs quarantine rows on first start; wait until they are promoted.
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/quarantine?output=confirmations&limit=5');
        return res.ok() ? ((await res.json()) as { rows: unknown[] }).rows.length : -1;
      },
      { timeout: 120_000 },
    )
    .toBeGreaterThan(0);

  await page.goto('/quarantine?output=confirmations&violation_type=enum_invalid');
  const rows = page.getByTestId('quarantine-rows');
  await expect(rows).toBeVisible();
  await expect(rows).toContainText('enum_invalid');
  await expect(page.getByRole('link', { name: 'Export the filtered set (CSV)' })).toBeVisible();

  await rows.getByRole('link', { name: /^line \d+$/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Violations' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Original values' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Raw source bytes' })).toBeVisible();
  // The raw bytes are the CSV record itself: it holds the side value the contract refused.
  await expect(page.getByTestId('raw-bytes')).not.toBeEmpty();
  await expect(page.getByText('enum_invalid').first()).toBeVisible();

  // The job of a quarantined row shows its quarantine settings, each value with its source
  // (the demo's contracts state their policy: every value comes from the contract).
  const first = (await (await page.request.get('/api/quarantine?output=confirmations&limit=1')).json()) as { rows: { job_id: string }[] };
  await page.goto(`/jobs/${first.rows[0].job_id}`);
  const settings = page.getByRole('table', { name: 'Quarantine settings' });
  await expect(settings).toBeVisible();
  await expect(settings.getByTestId('setting-confirmations-allow_quarantine')).toContainText('contract policy');

  // The global setting is shown to everyone who reads quarantine; only quarantine.settings changes it.
  await page.goto('/quarantine/settings');
  await expect(page.getByRole('table', { name: 'Global quarantine setting' })).toBeVisible();
  await expect(page.getByText('Changing the global setting needs the permission quarantine.settings.')).toBeVisible();
  const refused = await page.request.put('/api/quarantine/settings', { data: { allow_quarantine: true } });
  expect(refused.status()).toBe(403);

  expect(errors).toEqual([]);
});
