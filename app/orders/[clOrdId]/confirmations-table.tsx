// The chain's surviving fills, each with the confirmation it matched (method, review flag) and
// the matched confirmation rows as the counterparty sent them.
function s(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

const CONF_COLUMNS = ['exec_id', 'counterparty', 'symbol', 'side', 'quantity', 'price', 'currency', 'trade_date', 'settl_date', 'account', 'cl_ord_id', 'order_id'];

export function ConfirmationsTable({ fills, confirmations }: { fills: Record<string, unknown>[]; confirmations: Record<string, unknown>[] }) {
  const byConf = new Map(confirmations.map((c) => [s(c.conf_id), c]));
  return (
    <>
      {fills.length === 0 ? (
        <p className="muted">No surviving fills.</p>
      ) : (
        <table aria-label="Fills">
          <thead>
            <tr>
              <th>ExecID</th>
              <th>ClOrdID</th>
              <th className="num">LastQty</th>
              <th className="num">LastPx</th>
              <th>Trade date</th>
              <th>Confirmation</th>
              <th>Matched by</th>
            </tr>
          </thead>
          <tbody>
            {fills.map((f) => (
              <tr key={s(f.fill_id)}>
                <td className="mono">{s(f.current_exec_id) || s(f.exec_id)}</td>
                <td className="mono">{s(f.cl_ord_id)}</td>
                <td className="num mono">{s(f.last_qty)}</td>
                <td className="num mono">{s(f.last_px)}</td>
                <td className="mono">{s(f.trade_date)}</td>
                <td className="mono">{f.confirmation_id ? s(f.confirmation_id) : <span className="muted">unmatched</span>}</td>
                <td>
                  {s(f.match_method)}
                  {f.needs_review === true ? <span className="status-warn"> review</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {byConf.size > 0 && (
        <table aria-label="Matched confirmations">
          <thead>
            <tr>
              {CONF_COLUMNS.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...byConf.values()].map((c) => (
              <tr key={s(c.conf_id)}>
                {CONF_COLUMNS.map((k) => (
                  <td key={k} className="mono">
                    {s(c[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
