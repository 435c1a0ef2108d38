// One contract: version history with decisions, the selected version (document, editor while it
// is a draft, submit / approve / reject by role with the reason when approval is blocked), and a
// side-by-side diff between any two versions.
import { notFound } from 'next/navigation';
import { parseContractDocument, type ContractDocument } from '../../../lib/contracts';
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { contractForDetail, intentDocument, quarantineReplayCandidates } from '../../../lib/server/contracts';
import { hasPermission } from '../../../lib/server/permissions';
import { ProposeFromIntent } from '../propose-from-intent';
import { ContractDiffView } from './contract-diff-view';
import { DraftEditor } from './draft-editor';
import { ReplayPanel } from './replay-panel';
import { VersionActions, type ActionsView } from './version-actions';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

function num(v: string | string[] | undefined): number | null {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The parser's intent for this scope, or null when the installed parser is another version. */
function intentFor(parserId: string, parserVersion: string, output: string): ContractDocument | null {
  try {
    const doc = intentDocument(parserId, output);
    return doc.parser_version === parserVersion ? doc : null;
  } catch {
    return null;
  }
}

function statusClass(status: string): string {
  if (status === 'approved') return 'status-ok';
  if (status === 'rejected') return 'status-bad';
  if (status === 'submitted') return 'status-warn';
  return 'muted';
}

export default async function ContractPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Search }) {
  const { id } = await params;
  const q = await searchParams;
  const user = await requirePageUser('contracts.read', `/contracts/${encodeURIComponent(id)}`);
  const contract = await contractForDetail(id);
  if (!contract) notFound();
  const versions = contract.versions;
  const latest = versions.at(-1)!;
  const selected = versions.find((v) => v.version === num(q.v)) ?? versions.find((v) => v.status === 'submitted' || v.status === 'draft') ?? latest;
  const canPropose = hasPermission(user, 'contracts.propose');
  const canReview = hasPermission(user, 'contracts.review');
  const involved = selected.author === user.username || selected.editors.includes(user.username);

  const actions: ActionsView = {
    contractId: contract.id,
    version: selected.version,
    contentHash: selected.content_hash,
    canSubmit: selected.status === 'draft' && canPropose,
    canDecide: selected.status === 'submitted' && canReview && !involved,
    decideRefusal:
      selected.status === 'submitted' && canReview && involved
        ? 'You authored or edited this version: another reviewer must approve or reject it (four eyes).'
        : null,
    blockedReason: selected.approval_block?.blocked ? selected.approval_block.reason : null,
    note:
      selected.approval_block?.note ??
      (selected.approval_block?.observed_source ? `Checked against the data observed in ${selected.approval_block.observed_source}.` : null),
  };

  const docOf = (n: number | null): ContractDocument | null => {
    const v = versions.find((x) => x.version === n);
    if (!v) return null;
    const r = parseContractDocument(v.document);
    return r.ok ? r.contract : null;
  };
  const a = num(q.a) ?? (versions.length > 1 ? versions[versions.length - 2].version : latest.version);
  const b = num(q.b) ?? latest.version;
  const intent = intentFor(contract.parser_id, contract.parser_version, contract.output);
  const canReplay = hasPermission(user, 'quarantine.replay') && versions.some((v) => v.status === 'approved');
  const candidates = canReplay
    ? await quarantineReplayCandidates({ parserId: contract.parser_id, parserVersion: contract.parser_version, output: contract.output })
    : [];
  const left = docOf(a);
  const right = docOf(b);

  return (
    <>
      <h1>
        Contract {contract.parser_id} {contract.parser_version} / {contract.output}
      </h1>
      <p className="muted mono">scope {contract.scope_id}</p>

      <h2>Version history</h2>
      <table>
        <thead>
          <tr>
            <th>Version</th>
            <th>Status</th>
            <th>Content hash</th>
            <th>Author</th>
            <th>Editors</th>
            <th>Decisions</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} aria-current={v.version === selected.version ? 'true' : undefined}>
              <td>
                <a href={`?v=${v.version}`}>v{v.version}</a>
              </td>
              <td className={statusClass(v.status)}>{v.status}</td>
              <td className="mono">{v.content_hash.slice(0, 12)}…</td>
              <td>{v.author}</td>
              <td>{v.editors.join(', ') || '–'}</td>
              <td>
                {v.decisions.map((d) => (
                  <div key={d.id}>
                    {d.decision} by {d.reviewer}
                    {d.comment ? `: ${d.comment}` : ''}
                  </div>
                ))}
              </td>
              <td>{v.updated_at}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>
        v{selected.version} — <span className={statusClass(selected.status)}>{selected.status}</span>
      </h2>
      <VersionActions view={actions} />
      {selected.status === 'draft' && canPropose ? (
        <DraftEditor contractId={contract.id} version={selected.version} initial={selected.document} />
      ) : (
        <details className="panel">
          <summary>Document (content hash {selected.content_hash})</summary>
          <pre>{JSON.stringify(selected.document, null, 2)}</pre>
        </details>
      )}
      {canPropose && (
        <p>
          <ProposeFromIntent document={selected.document} label={`New draft from v${selected.version}`} />{' '}
          {intent && <ProposeFromIntent document={intent} label="New draft from the parser intent" />}
        </p>
      )}

      <h2>Compare versions</h2>
      <form method="get" className="panel">
        <input type="hidden" name="v" value={selected.version} />
        <label>
          Left
          <select name="a" defaultValue={a}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version} ({v.status})
              </option>
            ))}
          </select>
        </label>
        <label>
          Right
          <select name="b" defaultValue={b}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version} ({v.status})
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Compare</button>
      </form>
      {left && right ? <ContractDiffView a={a} b={b} left={left} right={right} /> : <p className="muted">Choose two versions.</p>}

      {canReplay && (
        <>
          <h2>Replay quarantined rows</h2>
          {candidates.length === 0 ? (
            <p className="muted">No quarantined rows of this scope are waiting.</p>
          ) : (
            <ReplayPanel output={contract.output} candidates={candidates} />
          )}
        </>
      )}
    </>
  );
}
