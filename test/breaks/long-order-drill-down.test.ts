// The drill-down of a long order (a parent worked all day: hundreds of fills, none confirmed by
// the counterparty, so one break per fill) comes a page at a time: each of the timeline, the
// fills and the breaks shows a page and counts them all; a later page's reported vs computed
// CumQty / LeavesQty / AvgPx are those of the whole walk; a page past the end shows the last one;
// raw bytes are read for the shown messages only; the order page service batches the histories.
// Real detection on a real database file, through the services app/ calls.
import { beforeAll, describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { actOnBreak, breakDetail, FIRST_PAGES, orderDrillDown, parseDrillDownPages, type DrillDownPages } from '../../lib/server/breaks/breaks-service';
import { drillDownQuery, pageStart } from '../../lib/server/breaks/drill-down-pages';
import { orderPageView } from '../../lib/server/breaks/order-page-service';
import { confirmationRows, FixScenario, insertRows, storeScenarioSource, useTempDb } from './fix-scenario';

const t = useTempDb({ reset: false });
const FILLS = 450;
const MESSAGES = FILLS + 2; // the order, its acknowledgement, the fills

beforeAll(async () => {
  const s = new FixScenario({ jobId: 'job-1' });
  s.order('V', { qty: String(FILLS * 2), px: '100' });
  s.ack('V');
  for (let i = 0; i < FILLS; i++) s.fill('V', '2', (100 + (i % 7) / 100).toFixed(2), { trade_date: '2026-11-20' });
  await s.load(t.db);
  // A confirmations file for another order: the counterparty step runs, and each fill of V is missing_in_counterparty.
  await insertRows(t.db, 'confirmations', confirmationRows([{ exec_id: 'OTHER', cl_ord_id: 'Z', order_id: 'O-Z', symbol: 'IBM', side: 'BUY', quantity: '1', price: '1', trade_date: '2026-11-20', settl_date: null, transact_time: null, account: 'ACC1' }]));
  await detectBreaks(t.db, { asOf: '2026-11-24' });
  await storeScenarioSource(t.db, t.dir, s);
});

const pages = (over: Partial<DrillDownPages>): DrillDownPages => ({ ...FIRST_PAGES, ...over });

describe('the drill-down of a long order', () => {
  it('shows the first page of each list and counts them all', async () => {
    const [chain] = (await orderDrillDown('V', t.db)).chains;
    expect(chain).toMatchObject({ messages_total: MESSAGES, messages_from: 0, fills_total: FILLS, fills_from: 0, breaks_total: FILLS, breaks_from: 0 });
    expect(chain.messages).toHaveLength(FIRST_PAGES.messages.limit);
    expect(chain.fills).toHaveLength(FIRST_PAGES.fills.limit);
    expect(chain.breaks).toHaveLength(FIRST_PAGES.breaks.limit);
    expect(new Set(chain.breaks.map((b) => b.class))).toEqual(new Set(['missing_in_counterparty']));
  });

  it("gives a later page the computed state of the whole walk, and raw bytes for its messages", async () => {
    const [whole] = (await orderDrillDown('V', t.db, pages({ messages: { from: 0, limit: 1000 } }))).chains;
    expect(whole.messages).toHaveLength(MESSAGES);
    const [page] = (await orderDrillDown('V', t.db, pages({ messages: { from: 300, limit: 100 } }))).chains;
    expect(page.messages_from).toBe(300);
    expect(page.messages).toHaveLength(100);
    const cols = (m: Record<string, unknown>) => [m.message_index, m.cum_qty, m.computed_cum_qty, m.computed_leaves_qty, m.computed_avg_px];
    expect(page.messages.map(cols)).toEqual(whole.messages.slice(300, 400).map(cols));
    expect(page.messages[0].computed_cum_qty).toBe(String((300 - 1) * 2)); // 298 fills before it, its own included
    for (const m of page.messages) expect(m.raw?.fields.find((f) => f.tag === 11)?.value).toBe('V');
  });

  it('shows the last page for a page past the end, and pages the fills and the breaks in their order', async () => {
    const [chain] = (await orderDrillDown('V', t.db, pages({ messages: { from: 10_000, limit: 200 }, fills: { from: 400, limit: 200 }, breaks: { from: 9_999, limit: 100 } }))).chains;
    expect(chain.messages_from).toBe(400);
    expect(chain.messages).toHaveLength(MESSAGES - 400);
    expect(chain.fills_from).toBe(400);
    expect(chain.fills).toHaveLength(FILLS - 400);
    expect(chain.breaks_from).toBe(400);
    expect(chain.breaks).toHaveLength(FILLS - 400);
    const [all] = (await orderDrillDown('V', t.db, pages({ fills: { from: 0, limit: 1000 }, breaks: { from: 0, limit: 500 } }))).chains;
    expect(chain.fills.map((f) => f.fill_id)).toEqual(all.fills.slice(400).map((f) => f.fill_id));
    expect(chain.breaks.map((b) => b.break_id)).toEqual(all.breaks.slice(400).map((b) => b.break_id));
  });

  it("the order page's view has each shown break's history, as the break's own page reads it", async () => {
    const [before] = (await orderPageView('V', t.db)).chains;
    const target = String(before.breaks[3].break_id);
    await actOnBreak(target, { action: 'comment', body: 'counterparty file due at 18:00' }, 'analyst', t.db);
    await actOnBreak(target, { action: 'assign', assignee: 'analyst' }, 'analyst', t.db);
    const [chain] = (await orderPageView('V', t.db)).chains;
    expect(chain.breaks).toHaveLength(FIRST_PAGES.breaks.limit);
    for (const b of chain.breaks) {
      const own = (await breakDetail(String(b.break_id), t.db))!;
      expect(b.history).toEqual({ events: own.events, comments: own.comments });
    }
    const shown = chain.breaks.find((b) => b.break_id === target)!;
    expect(shown.history.comments.map((c) => c.body)).toEqual(['counterparty file due at 18:00']);
    expect(shown.history.events.map((e) => e.action)).toContain('assign');
  });
});

describe('the drill-down of a long order in a database without the stored copy of its messages', () => {
  it('pages the messages found in fix_order_events the same way (run last: it empties the copy)', async () => {
    const page = pages({ messages: { from: 300, limit: 100 } });
    const [stored] = (await orderDrillDown('V', t.db, page)).chains;
    await t.db.run(`DELETE FROM order_chain_messages`);
    const [searched] = (await orderDrillDown('V', t.db, page)).chains;
    expect(searched.messages_total).toBe(MESSAGES);
    expect(searched.messages_from).toBe(300);
    const cols = (m: Record<string, unknown>) => [m.message_index, m.msg_type, m.cum_qty, m.computed_cum_qty, m.computed_leaves_qty, m.computed_avg_px];
    expect(searched.messages.map(cols)).toEqual(stored.messages.map(cols));
  });
});

describe('drill-down pages from a request', () => {
  it('defaults to the first pages and reads each list\'s from and limit', () => {
    expect(parseDrillDownPages(new URLSearchParams())).toEqual(FIRST_PAGES);
    expect(parseDrillDownPages(new URLSearchParams('messages_from=400&messages_limit=50&breaks_from=100'))).toEqual({
      messages: { from: 400, limit: 50 },
      fills: FIRST_PAGES.fills,
      breaks: { from: 100, limit: FIRST_PAGES.breaks.limit },
    });
    expect(parseDrillDownPages({ fills_from: ['7', '9'] }).fills.from).toBe(7);
  });

  it('refuses a bad page with 400 order.bad_page', () => {
    for (const q of ['messages_from=-1', 'messages_limit=0', 'messages_limit=1001', 'fills_from=1.5', 'breaks_limit=501', 'breaks_from=lots']) {
      expect(() => parseDrillDownPages(new URLSearchParams(q)), q).toThrow(expect.objectContaining({ code: 'order.bad_page', status: 400 }));
    }
  });

  it('starts a page past the end at the last page, and writes only what differs from the first pages', () => {
    expect(pageStart(0, 200, 0)).toBe(0);
    expect(pageStart(250, 200, 300)).toBe(250);
    expect(pageStart(300, 200, 300)).toBe(200);
    expect(pageStart(5000, 200, 400)).toBe(200);
    expect(drillDownQuery(FIRST_PAGES)).toBe('');
    expect(drillDownQuery(pages({ fills: { from: 200, limit: 200 }, breaks: { from: 0, limit: 100 } }))).toBe('?fills_from=200&breaks_limit=100');
  });
});
