// The analyst's path through a break: search a ClOrdID in the break browser, open its
// drill-down, read a raw message field by field with tag names, comment on and resolve a break
// and see its status change. And a long order's drill-down, a page at a time. The demo dataset is loaded by the server on first start (jobs, then break
// detection), so the test polls the API until breaks exist. Fails on any console error or
// uncaught page error.
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, DEMO_PASSWORD as PASSWORD, fixMessage } from './support';

// Classes whose break belongs to an order chain that the drill-down shows.
const CHAIN_CLASSES = new Set([
  'overfill', 'cum_qty_mismatch', 'leaves_qty_mismatch', 'avg_px_mismatch', 'fill_after_terminal', 'duplicate_exec_id',
  'unacknowledged_order', 'open_at_end_of_data', 'rejected_order', 'cancel_rejected', 'order_id_changed',
]);

interface BreakItem {
  break_id: string;
  class: string;
  cl_ord_id: string | null;
  session: string | null;
  status: string;
}

async function logInAsAnalyst(page: Page) {
  await page.goto('/login?next=/breaks');
  await page.getByLabel('Username').fill('analyst');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/breaks$/);
  await expect(page.getByRole('heading', { name: 'Breaks', level: 1 })).toBeVisible();
}

/** Polls until the demo load and break detection produced an open break on an order chain. */
async function openChainBreak(page: Page): Promise<BreakItem> {
  let target: BreakItem | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/breaks?status=open&limit=500');
        if (!res.ok()) return false;
        const body = (await res.json()) as { items: BreakItem[] };
        target = body.items.find((b) => b.cl_ord_id && b.session && CHAIN_CLASSES.has(b.class));
        return target !== undefined;
      },
      { timeout: 540_000, intervals: [2_000, 5_000] },
    )
    .toBe(true);
  return target as BreakItem;
}

async function countOf(page: Page, query: string): Promise<number> {
  const res = await page.request.get(`/api/breaks?${query}&limit=1`);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { counts: Record<string, number> };
  return Object.values(body.counts).reduce((a, b) => a + b, 0);
}

test('analyst searches a ClOrdID, reads its raw messages, comments on and resolves a break', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = collectErrors(page);
  await logInAsAnalyst(page);
  const t = await openChainBreak(page);
  const clOrdId = t.cl_ord_id as string;

  // Search it in the break browser (exact ClOrdID).
  await page.reload();
  const filters = page.getByRole('search', { name: 'Break filters' });
  await filters.getByLabel('ClOrdID').fill(clOrdId);
  await filters.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`cl_ord_id=${encodeURIComponent(clOrdId)}`));
  const grid = page.getByRole('table', { name: 'Breaks' });
  const link = grid.getByRole('link', { name: clOrdId, exact: true }).first();
  await expect(link).toBeVisible();
  await expect(page.getByRole('table', { name: 'Breaks per class' })).toContainText(t.class);

  // Its drill-down: the timeline and a raw message shown field by field with tag names.
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/orders/${encodeURIComponent(clOrdId)}$`));
  await expect(page.getByRole('heading', { name: `Order ${clOrdId}`, level: 1 })).toBeVisible();
  const timeline = page.getByRole('table', { name: 'Timeline' }).first();
  await expect(timeline).toBeVisible();
  await timeline.getByText(/^Raw message \d+$/).first().click();
  const raw = timeline.getByRole('table', { name: /^Raw fields of message \d+$/ }).first();
  await expect(raw).toBeVisible();
  await expect(raw.getByRole('cell', { name: 'ClOrdID', exact: true })).toBeVisible();
  await expect(raw.getByRole('cell', { name: 'MsgType', exact: true })).toBeVisible();
  await expect(timeline.getByRole('table', { name: /^Lineage of message \d+$/ }).first()).toContainText('SHA-256');

  // Resolve the break and see its status change.
  const actions = page.getByRole('group', { name: `Actions on break ${t.class} ${t.break_id.slice(0, 8)}` });
  await expect(actions).toBeVisible();
  const row = page.getByRole('row').filter({ has: actions });
  await expect(row.getByTestId('break-status')).toHaveText('open');
  const note = actions.getByLabel(/^Comment or reason for break/);
  await note.fill('Asked the venue for its drop copy (e2e).');
  await actions.getByRole('button', { name: 'Comment' }).click();
  await expect(row.getByText(/^History \(\d+ events?, 1 comment\)$/)).toBeVisible();
  await expect(note).toHaveValue('');
  await note.fill('Checked against the venue: booked manually (e2e).');
  await actions.getByRole('button', { name: 'Resolve' }).click();
  await expect(row.getByTestId('break-status')).toHaveText('resolved');
  await expect(row).toContainText('Closed: Checked against the venue');

  // The browser agrees.
  const after = await page.request.get(`/api/breaks?cl_ord_id=${encodeURIComponent(clOrdId)}&status=resolved`);
  const body = (await after.json()) as { items: BreakItem[] };
  expect(body.items.map((b) => b.break_id)).toContain(t.break_id);
  expect(errors).toEqual([]);
});

test('analyst sorts and pages the breaks, bulk-assigns two and exports the filtered set', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = collectErrors(page);
  await logInAsAnalyst(page);
  await openChainBreak(page);
  const open = await countOf(page, 'status=open');

  // Filter to open breaks, then sort on age: the sort is in the URL, and the page is the first.
  const filters = page.getByRole('search', { name: 'Break filters' });
  await filters.getByLabel('Status').selectOption('open');
  await filters.getByLabel('Rows per page').selectOption('10');
  await filters.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/status=open/);
  await expect(page).toHaveURL(/limit=10/);
  const grid = page.getByRole('table', { name: 'Breaks' });
  await grid.getByRole('link', { name: /^Age \(days\)/ }).click();
  await expect(page).toHaveURL(/sort=age_days&dir=desc/);
  await expect(grid.getByRole('columnheader', { name: /^Age \(days\)/ })).toHaveAttribute('aria-sort', 'descending');
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager.getByRole('link', { name: 'Next →' })).toHaveCount(open > 10 ? 1 : 0);
  await expect(pager.getByRole('link', { name: '← Previous' })).toHaveCount(0);
  if (open > 10) {
    // A row is named by its break id (the selection checkbox's label).
    const firstRow = grid.getByRole('checkbox', { name: /^Select break / }).first();
    const firstOfPage1 = (await firstRow.getAttribute('aria-label')) ?? '';
    await pager.getByRole('link', { name: 'Next →' }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(firstRow).not.toHaveAttribute('aria-label', firstOfPage1);
    await expect(grid.getByRole('checkbox', { name: firstOfPage1 })).toHaveCount(0);
    await pager.getByRole('link', { name: '← Previous' }).click();
    await expect(page).toHaveURL(/before=/);
    await expect(firstRow).toHaveAttribute('aria-label', firstOfPage1);
  }

  // Bulk assign the first two open breaks of the page to analyst.
  const assignedBefore = await countOf(page, 'assignee=analyst');
  const boxes = grid.getByRole('checkbox', { name: /^Select break / });
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const bulk = page.getByRole('group', { name: 'Bulk assign' });
  await expect(bulk).toContainText('2 selected');
  await bulk.getByLabel('Assign to').selectOption('analyst');
  await bulk.getByRole('button', { name: 'Assign selected' }).click();
  await expect(bulk.getByRole('status')).toHaveText('Assigned 2 breaks to analyst.');
  await expect.poll(() => countOf(page, 'assignee=analyst')).toBe(assignedBefore + 2);

  // Export of the filtered set: every open break, one CSV line each; Parquet too.
  const openNow = await countOf(page, 'status=open');
  const csv = await page.request.get('/api/breaks/export?format=csv&status=open');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).split('\r\n').filter((l) => l.length > 0);
  expect(lines[0].startsWith('break_id,class,status,')).toBe(true);
  expect(lines).toHaveLength(openNow + 1);
  const parquet = await page.request.get('/api/breaks/export?format=parquet&status=open');
  expect(parquet.status()).toBe(200);
  expect((await parquet.body()).subarray(0, 4).toString('latin1')).toBe('PAR1');
  expect(errors).toEqual([]);
});

/** One order worked in `fills` fills of 2 (a new order, its acknowledgement, the fills), in a session of its own. */
function longOrderLog(fills: number): string {
  let seq = 1;
  const ts = (i: number) => `20240102-11:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000`;
  const h = (type: string, i: number, from: string, to: string): [number, string][] => [[35, type], [49, from], [56, to], [34, String(seq++)], [52, ts(i)]];
  const qty = String(fills * 2);
  const lines = [
    fixMessage([...h('D', 0, 'E2ELONG', 'E2EBRK'), [11, 'E2E-LONG'], [55, 'IBM'], [54, '1'], [38, qty], [40, '1'], [60, ts(0)]]),
    fixMessage([...h('8', 0, 'E2EBRK', 'E2ELONG'), [37, 'XL'], [11, 'E2E-LONG'], [17, 'L0'], [150, '0'], [39, '0'], [55, 'IBM'], [54, '1'], [38, qty], [14, '0'], [151, qty], [6, '0'], [60, ts(0)]]),
  ];
  for (let i = 1; i <= fills; i++) {
    const cum = String(i * 2);
    lines.push(fixMessage([...h('8', i, 'E2EBRK', 'E2ELONG'), [37, 'XL'], [11, 'E2E-LONG'], [17, `L${i}`], [150, 'F'], [39, i === fills ? '2' : '1'], [55, 'IBM'], [54, '1'], [38, qty], [32, '2'], [31, '100'], [14, cum], [151, String(fills * 2 - i * 2)], [6, '100'], [75, '20240102'], [60, ts(i)]]));
  }
  return lines.join('\n') + '\n';
}

test("a long order's drill-down shows its timeline, fills and breaks a page at a time", async ({ page, request }) => {
  test.setTimeout(300_000);
  const errors = collectErrors(page);
  // Ops uploads the order (260 fills on 2024-01-02) and a counterparty file for that day that confirms none of them: 260 breaks.
  // (Through the `request` fixture: its cookies are its own, so the page below logs in afresh.)
  const login = await request.post('/api/auth/login', { data: { username: 'ops', password: PASSWORD } });
  expect(login.ok()).toBe(true);
  const upload = await request.post('/api/uploads?kind=fix&filename=e2e-long-order.fix', { data: Buffer.from(longOrderLog(260), 'latin1') });
  expect(upload.status()).toBe(201);
  // The counterparty's file for that day, which confirms another order only: every fill is missing_in_counterparty.
  const confirmations = [
    'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty',
    'E2EOTHER,E2E-OTHER,XO,MSFT,SELL,7,300,USD,2024-01-02,2024-01-03,2024-01-02T10:00:00Z,ACC1,E2EBRK',
  ];
  const confUpload = await request.post('/api/uploads?kind=confirmations&filename=e2e-long-order.csv', { data: confirmations.join('\n') + '\n' });
  expect(confUpload.status()).toBe(201);
  for (const res of [upload, confUpload]) {
    const jobId = ((await res.json()) as { job_ids: string[] }).job_ids[0];
    await expect
      .poll(async () => {
        const job = (await (await request.get(`/api/jobs/${jobId}`)).json()) as { status: string; break_detection?: { state: string } | null };
        return `${job.status} ${job.break_detection?.state ?? '-'}`;
      }, { timeout: 240_000, intervals: [1_000, 2_000] })
      .toBe('SUCCESS done');
  }

  await logInAsAnalyst(page);
  await page.goto('/orders/E2E-LONG');
  await expect(page.getByTestId('messages-range')).toHaveText('Messages 1–200 of 262');
  await expect(page.getByTestId('fills-range')).toHaveText('Fills 1–200 of 260');
  await expect(page.getByTestId('breaks-range')).toHaveText('Breaks 1–50 of 260');
  await expect(page.getByRole('table', { name: 'Breaks of the chain' }).locator('tbody > tr')).toHaveCount(50);

  // The timeline's next page: its first message carries the fills before it (199 of 2: CumQty 398).
  await page.getByRole('navigation', { name: /^Pages of messages/ }).getByRole('link', { name: 'Next 62' }).click();
  await expect(page.getByTestId('messages-range')).toHaveText('Messages 201–262 of 262');
  await expect(page.getByTestId('fills-range')).toHaveText('Fills 1–200 of 260');
  const timeline = page.getByRole('table', { name: 'Timeline' });
  const first = timeline.locator('tbody > tr').first();
  await expect(first).toContainText('398.00000000');
  await expect(first.locator('.muted').filter({ hasText: /^398$/ })).toHaveCount(1);
  await timeline.getByText(/^Raw message/).first().click();
  await expect(timeline.getByRole('table', { name: /^Raw fields of message/ }).first()).toContainText('E2E-LONG');

  // The breaks' last page, the timeline staying where it was.
  await page.getByRole('navigation', { name: /^Pages of breaks/ }).getByRole('link', { name: 'Last' }).click();
  await expect(page.getByTestId('breaks-range')).toHaveText('Breaks 251–260 of 260');
  await expect(page.getByTestId('messages-range')).toHaveText('Messages 201–262 of 262');
  expect(errors).toEqual([]);
});
