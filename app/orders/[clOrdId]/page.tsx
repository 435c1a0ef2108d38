// The drill-down of one ClOrdID: every chain it belongs to (one per session) with its linked
// ClOrdIDs, the chain's breaks (rule, FIX reference, match trace) and the analyst's actions on
// them, the timeline of every message with reported vs computed CumQty / LeavesQty / AvgPx, each
// message's raw bytes field by field with its lineage, and the fills with their confirmations.
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { breakAssignees } from '../../../lib/server/breaks/break-browser-service';
import { currentBreakPass } from '../../../lib/server/breaks/break-pass-status';
import { BreakPassBanner } from '../../breaks/break-pass-banner';
import { orderPageView } from '../../../lib/server/breaks/order-page-service';
import { hasPermission } from '../../../lib/server/permissions';
import { BreakActions } from './break-actions';
import { BreakHistory } from './break-history';
import { ChainSummary } from './chain-summary';
import { ConfirmationsTable } from './confirmations-table';
import { DetailsView } from './details-view';
import { Timeline } from './timeline';
import '../../breaks/breaks.css';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ clOrdId: string }> };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function OrderPage({ params }: Props) {
  const { clOrdId: segment } = await params;
  const clOrdId = decodeSegment(segment);
  const user = await requirePageUser('breaks.read', `/orders/${encodeURIComponent(clOrdId)}`);
  const canWrite = hasPermission(user, 'breaks.write');
  const [view, assignees] = await Promise.all([
    clOrdId.length > 0 && clOrdId.length <= 128 ? orderPageView(clOrdId) : Promise.resolve(null),
    canWrite ? breakAssignees() : Promise.resolve([] as string[]),
  ]);
  const pass = currentBreakPass();
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

          <h2>Breaks</h2>
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

          <h2>Timeline</h2>
          <Timeline messages={chain.messages} sources={view.sources} />

          <h2>Fills and confirmations</h2>
          <ConfirmationsTable fills={chain.fills} confirmations={view.confirmations} />
        </section>
      ))}
    </>
  );
}
