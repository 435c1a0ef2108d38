// The chain's order summary: every linked ClOrdID, and reported vs computed state at the end
// (computed LeavesQty = OrderQty − computed CumQty; computed AvgPx = notional / CumQty, exact).
import Decimal from 'decimal.js';
import { enumMeaning } from '../../../lib/fix/fix-dictionary';

function computedLeaves(orderQty: unknown, cum: unknown): string {
  if (orderQty === null || orderQty === undefined || cum === null || cum === undefined) return '';
  return Decimal.max(new Decimal(String(orderQty)).minus(String(cum)), 0).toFixed();
}

function computedAvgPx(notional: unknown, cum: unknown): string {
  if (notional === null || notional === undefined || cum === null || cum === undefined) return '';
  const q = new Decimal(String(cum));
  return q.isZero() ? '' : Decimal.clone({ precision: 40 }).div(String(notional), q).toDecimalPlaces(10).toFixed();
}
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

export function ChainSummary({ summary, current }: { summary: Record<string, unknown> | null; current: string }) {
  if (!summary) return <p className="muted">No order summary for this chain.</p>;
  const ids = Array.isArray(summary.cl_ord_ids) ? (summary.cl_ord_ids as unknown[]).map(String) : [];
  const rows: [string, unknown][] = [
    ['OrderIDs', summary.order_ids],
    ['Symbol', summary.symbol],
    ['Side', summary.side],
    ['Account', summary.account],
    ['Venue', summary.venue],
    ['Order qty', summary.order_qty],
    ['Price', summary.price],
    ['OrdStatus', summary.ord_status ? `${String(summary.ord_status)} (${enumMeaning(39, String(summary.ord_status)) ?? 'unknown'})` : null],
    ['Trade date', summary.trade_date],
    ['First seen', summary.first_seen],
    ['Last seen', summary.last_seen],
    ['Messages', summary.message_count],
    ['Fills', summary.fill_count],
  ];
  return (
    <>
      <p>
        Linked ClOrdIDs:{' '}
        {ids.map((id, i) => (
          <span key={id}>
            {i > 0 && ' → '}
            {id === current ? <strong className="mono">{id}</strong> : <a className="mono" href={`/orders/${encodeURIComponent(id)}`}>{id}</a>}
          </span>
        ))}
      </p>
      <table aria-label="Order summary">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="mono">{text(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table aria-label="Reported vs computed">
        <thead>
          <tr>
            <th />
            <th className="num">Reported</th>
            <th className="num">Computed</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">CumQty</th>
            <td className="num mono">{text(summary.reported_cum_qty)}</td>
            <td className="num mono">{text(summary.computed_cum_qty)}</td>
          </tr>
          <tr>
            <th scope="row">LeavesQty</th>
            <td className="num mono">{text(summary.reported_leaves_qty)}</td>
            <td className="num mono">{computedLeaves(summary.order_qty, summary.computed_cum_qty)}</td>
          </tr>
          <tr>
            <th scope="row">AvgPx</th>
            <td className="num mono">{text(summary.reported_avg_px)}</td>
            <td className="num mono">{computedAvgPx(summary.computed_notional, summary.computed_cum_qty)}</td>
          </tr>
        </tbody>
      </table>
    </>
  );
}
