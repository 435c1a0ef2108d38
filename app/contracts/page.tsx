// Contracts: every scope (parser, parser version, output) with the version in force and the
// pending proposals; scopes without a contract yet, with a proposal from the parser's intent.
import { listParsers } from '../../lib/parsers/registry';
import { requirePageUser } from '../../lib/server/auth/current-user';
import { contractsForList, intentDocument } from '../../lib/server/contracts';
import { contractOutputsOf } from '../../lib/server/jobs/approved-contracts';
import { hasPermission } from '../../lib/server/permissions';
import { ProposeFromIntent } from './propose-from-intent';

export const dynamic = 'force-dynamic';

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

export default async function ContractsPage() {
  const user = await requirePageUser('contracts.read', '/contracts');
  const contracts = await contractsForList();
  const canPropose = hasPermission(user, 'contracts.propose');
  const covered = new Set(contracts.map((c) => `${c.parser_id}:${c.parser_version}:${c.output}`));
  const uncovered = listParsers().flatMap((p) =>
    contractOutputsOf(p)
      .filter((o) => !covered.has(`${p.id}:${p.version}:${o}`))
      .map((o) => ({ parser: p.id, version: p.version, output: o })),
  );
  return (
    <>
      <h1>Contracts</h1>
      <table>
        <thead>
          <tr>
            <th>Parser</th>
            <th>Version</th>
            <th>Output</th>
            <th>Approved version</th>
            <th>Pending proposals</th>
            <th className="num">Versions</th>
          </tr>
        </thead>
        <tbody>
          {contracts.map((c) => (
            <tr key={c.id}>
              <td>{c.parser_id}</td>
              <td>{c.parser_version}</td>
              <td>
                <a href={`/contracts/${encodeURIComponent(c.id)}`}>{c.output}</a>
              </td>
              <td>
                {c.approved ? (
                  <>
                    v{c.approved.version} <span className="mono muted">{short(c.approved.content_hash)}</span> by {c.approved.approved_by}
                  </>
                ) : (
                  <span className="status-warn">none — jobs of this scope wait (AWAITING_CONTRACT)</span>
                )}
              </td>
              <td>
                {c.pending.length === 0
                  ? '–'
                  : c.pending.map((p) => (
                      <div key={p.version}>
                        <a href={`/contracts/${encodeURIComponent(c.id)}?v=${p.version}`}>v{p.version}</a> {p.status} by {p.author}
                      </div>
                    ))}
              </td>
              <td className="num">{c.versions}</td>
            </tr>
          ))}
          {contracts.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No contracts yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {uncovered.length > 0 && (
        <>
          <h2>Scopes without a contract</h2>
          <table>
            <tbody>
              {uncovered.map((u) => (
                <tr key={`${u.parser}:${u.output}`}>
                  <td>{u.parser}</td>
                  <td>{u.version}</td>
                  <td>{u.output}</td>
                  <td>{canPropose ? <ProposeFromIntent document={intentDocument(u.parser, u.output)} label="Propose from the parser intent" /> : <span className="muted">an author proposes one</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
