// Side by side: the columns of two versions in one table (a row per column name, left and right
// type / nullability / format, changed cells marked), then every change diffContracts lists,
// including mode and quarantine policy. Server component.
import { describeType, diffContracts, type ContractDocument } from '../../../lib/contracts';

function cell(c: ContractDocument['columns'][number] | undefined): string {
  if (!c) return '—';
  return `${describeType(c.type)}${c.nullable ? '' : ' NOT NULL'}${c.format ? ` format ${c.format}` : ''}`;
}

export function ContractDiffView({ a, b, left, right }: { a: number; b: number; left: ContractDocument; right: ContractDocument }) {
  const diff = diffContracts(left, right);
  const names = [...new Set([...left.columns.map((c) => c.name), ...right.columns.map((c) => c.name)])];
  const changed = new Set(diff.changes.map((c) => c.column).filter((c): c is string => c !== null));
  return (
    <>
      <table aria-label={`Diff v${a} v${b}`}>
        <thead>
          <tr>
            <th>Column</th>
            <th>v{a}</th>
            <th>v{b}</th>
          </tr>
        </thead>
        <tbody>
          {names.map((n) => {
            const l = left.columns.find((c) => c.name === n);
            const r = right.columns.find((c) => c.name === n);
            const cls = changed.has(n) ? 'status-warn' : undefined;
            return (
              <tr key={n}>
                <td className={cls}>{n}</td>
                <td className="mono">{cell(l)}</td>
                <td className="mono">{cell(r)}</td>
              </tr>
            );
          })}
          <tr>
            <td>mode</td>
            <td className="mono">{left.mode}</td>
            <td className="mono">{right.mode}</td>
          </tr>
          <tr>
            <td>quarantine policy</td>
            <td className="mono">{JSON.stringify(left.quarantine)}</td>
            <td className="mono">{JSON.stringify(right.quarantine)}</td>
          </tr>
          <tr>
            <td>inherited from the settings cascade</td>
            <td className="mono">{left.quarantine_inherit?.join(', ') || 'none (all stated)'}</td>
            <td className="mono">{right.quarantine_inherit?.join(', ') || 'none (all stated)'}</td>
          </tr>
        </tbody>
      </table>
      <h3>Changes from v{a} to v{b}</h3>
      {diff.same ? (
        <p className="muted">No differences.</p>
      ) : (
        <ul>
          {diff.changes.map((c, i) => (
            <li key={i}>
              <span className="muted">{c.kind}</span> {c.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
