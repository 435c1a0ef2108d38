// The /orders/{clOrdId} page: H7's drill-down (chains; a page each of the timeline with raw bytes, the breaks and the fills)
// plus the file names of the jobs, the rule and history (events, comments) of each break and the
// matched confirmation rows.
import { breakHistories } from '../../../db/breaks/break-queries';
import { confirmationRows, jobSourceNames } from '../../../db/breaks/drill-down-extras';
import { getDb, type Db } from '../../../db/open';
import { RULES, isBreakClass } from '../../breaks';
import { FIRST_PAGES, orderDrillDown, type DrillDownPages } from './breaks-service';

export type ChainBreak = Record<string, unknown> & {
  rule: { meaning: string; fix_reference: string; deviations: string } | null;
  /** The workflow events and comments, oldest first. */
  history: { events: Record<string, unknown>[]; comments: Record<string, unknown>[] };
};

export async function orderPageView(clOrdId: string, db?: Db, pages: DrillDownPages = FIRST_PAGES) {
  const d = db ?? (await getDb());
  const drill = await orderDrillDown(clOrdId, d, pages);
  const jobIds = [...new Set(drill.chains.flatMap((c) => c.messages.map((m) => String(m.job_id))))];
  const confIds = [...new Set(drill.chains.flatMap((c) => c.fills.map((f) => f.confirmation_id).filter((x): x is string => typeof x === 'string')))];
  const [sources, confirmations] = await Promise.all([jobSourceNames(d, jobIds), confirmationRows(d, confIds)]);
  const chains = [];
  for (const c of drill.chains) {
    const breaks: ChainBreak[] = [];
    const histories = await breakHistories(d, (c.breaks as Record<string, unknown>[]).map((b) => String(b.break_id)));
    for (const b of c.breaks as Record<string, unknown>[]) {
      const cls = String(b.class);
      const rule = isBreakClass(cls) ? RULES[cls] : null;
      breaks.push({
        ...b,
        rule: rule ? { meaning: rule.meaning, fix_reference: rule.fixReference, deviations: rule.deviations } : null,
        history: histories.get(String(b.break_id)) ?? { events: [], comments: [] },
      });
    }
    chains.push({ ...c, breaks });
  }
  return { cl_ord_id: drill.cl_ord_id, chains, sources, confirmations };
}

export type OrderPageView = Awaited<ReturnType<typeof orderPageView>>;
