// The drill-down of one ClOrdID: every chain it belongs to (one per session) with its linked
// ClOrdIDs, the chain's breaks (rule, FIX reference, match trace) and the analyst's actions on
// them, the timeline of its messages with reported vs computed CumQty / LeavesQty / AvgPx, each
// message's raw bytes field by field with its lineage, and the fills with their confirmations.
// Each of the three lists comes a page at a time (?messages_from=&fills_from=&breaks_from=…).
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { breakAssignees } from '../../../lib/server/breaks/break-browser-service';
import { currentBreakPass } from '../../../lib/server/breaks/break-pass-status';
import { BreakPassBanner } from '../../breaks/break-pass-banner';
import { orderPageView } from '../../../lib/server/breaks/order-page-service';
import { FIRST_PAGES, parseDrillDownPages, type DrillDownPages } from '../../../lib/server/breaks/breaks-service';
import type { DrillDownList } from '../../../lib/server/breaks/drill-down-pages';
import { hasPermission } from '../../../lib/server/permissions';
import { BreakActions } from './break-actions';
import { BreakHistory } from './break-history';
import { ChainSummary } from './chain-summary';
import { ConfirmationsTable } from './confirmations-table';
import { DetailsView } from './details-view';
import { Timeline } from './timeline';
import { ListPager, listAnchor } from './list-pager';
import '../../breaks/breaks.css';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ clOrdId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The pages a URL asks for; a malformed query shows the first pages. */
function pagesOf(query: Record<string, string | string[] | undefined>): DrillDownPages {
  try {
    return parseDrillDownPages(query);
  } catch {
    return FIRST_PAGES;
  }
}

export default async function OrderPage({ params, searchParams }: Props) {
  const { clOrdId: segment } = await params;
  const clOrdId = decodeSegment(segment);
  const pages = pagesOf(await searchParams);
  const user = await requirePageUser('breaks.read', `/orders/${encodeURIComponent(clOrdId)}`);
  const canWrite = hasPermission(user, 'breaks.write');
  const [view, assignees] = await Promise.all([
    clOrdId.length > 0 && clOrdId.length <= 128 ? orderPageView(clOrdId, undefined, pages) : Promise.resolve(null),
    canWrite ? breakAssignees() : Promise.resolve([] as string[]),
  ]);
  const pass = currentBreakPass();
  const pager = (list: DrillDownList, session: string) => ({ clOrdId, session, list, pages });
  if (!view || view.chains.length === 0) {
    return (
      <>
        <h1>
          Order <span className="mono">{clOrdId}</span>
        </h1>
        <BreakPassBanner key={pass ? 'pass' : 'none'} initial={pass} shown="The orders found here are" />
        <p className="muted">No order has this ClOrdID. Search the breaks by prefix on the <a href="/breaks">break browser</a>.</p>
      </>
    );
  }
  return (
    <>
      <h1>
        Order <span className="mono">{view.cl_ord_id}</span>
      </h1>
      <BreakPassBanner key={pass ? 'pass' : 'none'} initial={pass} shown="The chains, messages and breaks below are" />
      <p>
        <a href={`/breaks?cl_ord_id=${encodeURIComponent(view.cl_ord_id)}`}>Breaks of this order in the browser</a>
      </p>
      {view.chains.map((chain) => (
        <section key={`${chain.session}|${chain.chain_root}`} aria-label={`Chain ${chain.chain_root} in session ${chain.session}`}>
          <h2>
            Chain <span className="mono">{chain.chain_root}</span> · session <span className="mono">{chain.session}</span>
          </h2>
          <ChainSummary summary={chain.summary} current={view.cl_ord_id} />

          <h2 id={listAnchor('breaks', chain.session)}>Breaks</h2>
          <ListPager {...pager('breaks', chain.session)} from={chain.breaks_from} shown={chain.breaks.length} total={chain.breaks_total} />
          {chain.breaks.length === 0 ? (
            <p className="muted">No breaks on this chain.</p>
          ) : (
            <table aria-label="Breaks of the chain">
              <thead>
                <tr>
                  <th>Class</th>
                  <th>Status</th>
                  <th>Severity</th>
                  <th>Assignee</th>
                  <th className="num">Age (days)</th>
                  <th>Rule and evidence</th>
                  {canWrite && <th>Actions</th>}
                </tr>
              </thead>
              <tbody>
                {chain.breaks.map((b) => {
                  const id = String(b.break_id);
                  return (
                    <tr key={id} data-testid={`break-${id}`}>
                      <td className="mono">{String(b.class)}</td>
                      <td data-testid="break-status">{String(b.status)}</td>
                      <td>{String(b.severity)}</td>
                      <td>{b.assignee ? String(b.assignee) : <span className="muted">unassigned</span>}</td>
                      <td className="num">{b.age_days === null ? '' : String(b.age_days)}</td>
                      <td>
                        {b.rule && (
                          <p>
                            {b.rule.meaning}
                            <br />
                            <span className="muted">{b.rule.fix_reference}</span>
                          </p>
                        )}
                        <DetailsView value={b.details} label="Details and match trace" />
                        {b.closed_reason ? <p className="muted">Closed: {String(b.closed_reason)}</p> : null}
                        <BreakHistory history={b.history} name={`${String(b.class)} ${id.slice(0, 8)}`} />
                      </td>
                      {canWrite && (
                        <td>
                          <BreakActions breakId={id} breakClass={String(b.class)} status={String(b.status)} assignee={b.assignee ? String(b.assignee) : null} assignees={assignees} />
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}

          <h2 id={listAnchor('messages', chain.session)}>Timeline</h2>
          <ListPager {...pager('messages', chain.session)} from={chain.messages_from} shown={chain.messages.length} total={chain.messages_total} />
          <Timeline messages={chain.messages} sources={view.sources} />

          <h2 id={listAnchor('fills', chain.session)}>Fills and confirmations</h2>
          <ListPager {...pager('fills', chain.session)} from={chain.fills_from} shown={chain.fills.length} total={chain.fills_total} />
          <ConfirmationsTable fills={chain.fills} confirmations={view.confirmations} />
        </section>
      ))}
    </>
  );
}
