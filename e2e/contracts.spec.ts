// Four eyes in the browser: ops uploads confirmations with a row whose side (SHORT) the contract
// does not allow, so it is quarantined; the author proposes an amendment in the draft editor
// (validated as it is typed) and submits it; the reviewer reads the diff and approves it; the
// author replays the quarantined row (dry run, then replay) and it leaves the waiting list.
// Fails on any console error or uncaught page error.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { collectErrors, DEMO_PASSWORD as PASSWORD } from './support';

const HEADER = 'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty';

async function loggedIn(browser: Browser, username: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const errors = collectErrors(page);
  await page.goto('/login?next=/contracts');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Contracts', exact: true })).toBeVisible();
  return { page, errors };
}

test('an author amends a contract, a reviewer approves it, the quarantined row is replayed', async ({ browser }) => {
  const lines = [HEADER];
  for (let i = 1; i <= 11; i++) lines.push(`E2EC${i},O${i},X${i},AAPL,BUY,${i}00.5,101.25,USD,2024-01-02,2024-01-03,2024-01-02T10:00:00Z,ACC1,BRKA`);
  lines.push('E2ESHORT,OS,XS,MSFT,SHORT,7.25,300.125,USD,2024-01-02,,2024-01-02T10:06:00Z,ACC1,BRKA');

  const ops = await loggedIn(browser, 'ops');
  const upload = await ops.page.request.post('/api/uploads?kind=confirmations&filename=e2e-short.csv', { data: lines.join('\n') + '\n' });
  expect(upload.status()).toBe(201);
  const jobId = ((await upload.json()) as { job_ids: string[] }).job_ids[0];
  await expect
    .poll(async () => ((await (await ops.page.request.get(`/api/jobs/${jobId}`)).json()) as { status: string }).status, { timeout: 60_000 })
    .toBe('PARTIAL_SUCCESS');

  // The author proposes the amendment from the version in force.
  const author = await loggedIn(browser, 'author');
  await author.page.getByRole('link', { name: 'confirmations', exact: true }).click();
  await author.page.getByRole('button', { name: /^New draft from v\d+$/ }).click();
  const editor = author.page.getByRole('textbox', { name: 'Contract document' });
  await expect(editor).toBeVisible();
  // Buttons are enabled once the page is hydrated: typing starts after that.
  await expect(author.page.getByRole('button', { name: 'Save draft' })).toBeEnabled();
  const original = await editor.inputValue();
  await editor.fill(original.replace('"mode": "allow_extra"', '"mode": "lenient"'));
  await expect(author.page.getByRole('list', { name: 'Problems' })).toContainText('mode');
  await expect(author.page.getByRole('button', { name: 'Save draft' })).toBeDisabled();
  await editor.fill(original.replace('"SELL_SHORT"', '"SELL_SHORT",\n"SHORT"'));
  await expect(author.page.getByText('Valid contract document.')).toBeVisible();
  await author.page.getByRole('button', { name: 'Save draft' }).click();
  await expect(author.page.getByRole('status').filter({ hasText: 'Saved; content hash' })).toBeVisible();
  await expect(author.page.getByText('side: enum[BUY,SELL,SELL_SHORT] → enum[BUY,SELL,SELL_SHORT,SHORT]')).toBeVisible();
  await author.page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(author.page.getByRole('heading', { name: /submitted/ })).toBeVisible();
  const amendedUrl = author.page.url();

  // Another user, holding reviewer, reads the diff and approves.
  const reviewer = await loggedIn(browser, 'reviewer');
  await reviewer.page.goto(amendedUrl);
  await expect(reviewer.page.getByText(/side: enum\[BUY,SELL,SELL_SHORT\] → enum\[BUY,SELL,SELL_SHORT,SHORT\]/)).toBeVisible();
  await reviewer.page.getByRole('button', { name: /^Approve v\d+/ }).click();
  await expect(reviewer.page.getByRole('heading', { name: /approved/ })).toBeVisible();

  // The author replays the quarantined row under the amendment.
  await author.page.reload();
  await expect(author.page.getByRole('heading', { name: 'Replay quarantined rows' })).toBeVisible();
  await expect(author.page.getByRole('checkbox', { name: `Job ${jobId}` })).toBeChecked();
  await author.page.getByRole('button', { name: 'Dry run' }).click();
  await expect(author.page.getByRole('status').filter({ hasText: 'Dry run' })).toContainText('1 rows would pass');
  await author.page.getByRole('button', { name: /^Replay/ }).click();
  await expect(author.page.getByRole('status').filter({ hasText: 'Replayed' })).toContainText('1 rows promoted');
  await author.page.reload();
  // The test server also holds the demo's quarantined confirmations (values no amendment here
  // admits): only this upload's job must have left the waiting list.
  await expect(author.page.getByRole('heading', { name: 'Replay quarantined rows' })).toBeVisible();
  await expect(author.page.getByRole('checkbox', { name: `Job ${jobId}` })).toHaveCount(0);

  expect([...ops.errors, ...author.errors, ...reviewer.errors]).toEqual([]);
});
