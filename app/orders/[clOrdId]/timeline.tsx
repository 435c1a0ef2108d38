// Every message of the chain in order: time, direction, MsgType / ExecType / OrdStatus names,
// qty and px, the reported CumQty / LeavesQty / AvgPx next to the ones computed from the
// surviving fills up to that message (a difference is flagged), and under it the raw message.
import Decimal from 'decimal.js';
import { Fragment } from 'react';
import type { TimelineEntry } from '../../../lib/server/breaks/breaks-service';
import { RawMessage } from './raw-message';

function s(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** Reported and computed differ (both present, as exact decimals). */
function differs(reported: unknown, computed: unknown): boolean {
  if (reported === null || reported === undefined || computed === null || computed === undefined) return false;
  try {
    return !new Decimal(String(reported)).eq(String(computed));
  } catch {
    return false;
  }
}

function Pair({ reported, computed, label }: { reported: unknown; computed: unknown; label: string }) {
  const bad = differs(reported, computed);
  return (
    <td className={`num mono${bad ? ' mismatch' : ''}`} title={bad ? `${label}: reported ≠ computed` : undefined}>
      {s(reported) || '–'}
      <br />
      <span className="muted">{s(computed) || '–'}</span>
      {bad && <span className="status-bad"> ≠</span>}
    </td>
  );
}

export function Timeline({ messages, sources }: { messages: TimelineEntry[]; sources: Record<string, { name: string | null; sha256: string }> }) {
  if (messages.length === 0) return <p className="muted">No messages.</p>;
  return (
    <table aria-label="Timeline">
      <thead>
        <tr>
          <th>Sending time (UTC)</th>
          <th>Direction</th>
          <th>Message</th>
          <th>ClOrdID</th>
          <th className="num">Qty</th>
          <th className="num">Px</th>
          <th className="num">
            CumQty
            <br />
            <span className="muted">reported / computed</span>
          </th>
          <th className="num">
            LeavesQty
            <br />
            <span className="muted">reported / computed</span>
          </th>
          <th className="num">
            AvgPx
            <br />
            <span className="muted">reported / computed</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => {
          const isReport = m.msg_type === '8';
          const qty = m.last_qty ?? m.order_qty;
          const px = m.last_px ?? m.price;
          const key = `${s(m.source_hash)}#${s(m.message_index)}`;
          return (
            <Fragment key={key}>
              <tr>
                <td className="mono">{s(m.sending_time).replace('T', ' ')}</td>
                <td className="mono">
                  {s(m.sender_comp_id)} → {s(m.target_comp_id)}
                </td>
                <td>
                  {m.msg_type_name ?? s(m.msg_type)}
                  {m.exec_type_name && <div className="muted">ExecType: {m.exec_type_name}</div>}
                  {m.ord_status_name && <div className="muted">OrdStatus: {m.ord_status_name}</div>}
                  {m.poss_dup_flag === true || m.poss_dup_flag === 'Y' ? <div className="status-warn">PossDup</div> : null}
                </td>
                <td className="mono">
                  {s(m.cl_ord_id)}
                  {m.orig_cl_ord_id ? <div className="muted">orig {s(m.orig_cl_ord_id)}</div> : null}
                </td>
                <td className="num mono">{s(qty)}</td>
                <td className="num mono">{s(px)}</td>
                {isReport ? (
                  <>
                    <Pair label="CumQty" reported={m.cum_qty} computed={m.computed_cum_qty} />
                    <Pair label="LeavesQty" reported={m.leaves_qty} computed={m.computed_leaves_qty} />
                    <Pair label="AvgPx" reported={m.avg_px} computed={m.computed_avg_px} />
                  </>
                ) : (
                  <td colSpan={3} className="muted">
                    –
                  </td>
                )}
              </tr>
              <tr className="raw-row">
                <td colSpan={9}>
                  <RawMessage message={m} source={sources[s(m.job_id)] ?? null} />
                </td>
              </tr>
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
