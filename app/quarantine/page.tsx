// The quarantine across jobs: filters (output, violation type, job, file, date range, replayed
// rows) live in the URL, the server reads one keyset page; "Next" carries the cursor, changing a
// filter submits the form without it (first page). Each row opens its detail page.
import { requirePageUser } from '../../lib/server/auth/current-user';
import { replayChoicesForOutput, type ReplayCandidateJob } from '../../lib/server/contracts/replay-quarantine';
import { hasPermission } from '../../lib/server/permissions';
import { ReplayPanel } from '../contracts/[id]/replay-panel';
import { isApiError } from '../../lib/server/http/api-error';
import {
  filtersToParams,
  parseBrowseLimit,
  parseQuarantineFilters,
  quarantineMatchesFor,
  quarantinePageFor,
  type QuarantineBrowsePage,
  type QuarantineFilters,
} from '../../lib/server/quarantine/quarantine-service';
import './quarantine.css';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function toParams(sp: Record<string, string | string[] | undefined>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) if (typeof v === 'string') p.set(k, v);
  return p;
}

function FiltersForm({ f, page }: { f: QuarantineFilters | null; page: QuarantineBrowsePage | null }) {
  return (
    <form method="get" action="/quarantine" className="quarantine-filters panel">
      <label>
        Output{' '}
        <select name="output" defaultValue={page?.output ?? f?.output ?? ''}>
          {(page?.outputs ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label>
        Violation{' '}
        <select name="violation_type" defaultValue={f?.violationType ?? ''}>
          <option value="">any</option>
          {[...new Set([...(page?.violation_types ?? []), ...(f?.violationType ? [f.violationType] : [])])].map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Job <input name="job_id" defaultValue={f?.jobId ?? ''} size={38} placeholder="job id" />
      </label>
      <label>
        File <input name="file" defaultValue={f?.file ?? ''} placeholder="name or sha256" />
      </label>
      <label>
        From <input type="date" name="from" defaultValue={f?.from ?? ''} />
      </label>
      <label>
        To <input type="date" name="to" defaultValue={f?.to ?? ''} />
      </label>
      <label>
        <input type="checkbox" name="include_replayed" value="1" defaultChecked={f?.includeReplayed ?? false} /> show replayed rows
      </label>
      <button type="submit">Apply</button> <a href="/quarantine">Reset</a>
    </form>
  );
}

export default async function QuarantinePage({ searchParams }: Props) {
  const user = await requirePageUser('quarantine.read', '/quarantine');
  const params = toParams(await searchParams);
  let f: QuarantineFilters | null = null;
  let page: QuarantineBrowsePage | null = null;
  let matches: Awaited<ReturnType<typeof quarantineMatchesFor>> | null = null;
  let problem: string | null = null;
  try {
    f = parseQuarantineFilters(params);
    [page, matches] = await Promise.all([quarantinePageFor(f, params.get('cursor') || null, parseBrowseLimit(params.get('limit'))), quarantineMatchesFor(f)]);
  } catch (e) {
    if (!isApiError(e)) throw e;
    problem = e.message;
  }
  const base = f && page ? filtersToParams({ ...f, output: page.output }) : new URLSearchParams();
  // Replay of this output's open quarantine under the approved contract of each scope.
  const replay: { scope: string; output: string; candidates: ReplayCandidateJob[] }[] = [];
  if (page?.output && hasPermission(user, 'quarantine.replay')) replay.push(...(await replayChoicesForOutput(page.output)));
  const qs = base.toString();
  return (
    <>
      <h1>Quarantine</h1>
      <p>
        Open quarantine: rows promoted by a replay leave it (their original values stay in the replay audit trail). <a href="/quarantine/settings">Quarantine settings</a>
      </p>
      <FiltersForm f={f} page={page} />
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {page && page.output === null && <p className="muted">No output has quarantined rows.</p>}
      {page && page.output !== null && (
        <>
          <p data-testid="quarantine-matches">
            {matches ? `${matches.rows.toLocaleString('en-US')} ${matches.rows === 1 ? 'row matches' : 'rows match'} these filters. ` : null}
            {!matches || matches.exportable ? (
              <a href={`/api/quarantine/export${qs ? `?${qs}` : ''}`}>Export the filtered set (CSV)</a>
            ) : (
              <span className="muted">
                An export holds at most {matches.max_export_rows.toLocaleString('en-US')} rows: narrow the filters (job, file, violation type, dates) to export them in parts.
              </span>
            )}
          </p>
          {page.rows.length === 0 ? (
            <p className="muted">No quarantined row matches these filters.</p>
          ) : (
            <div className="quarantine-table-wrap">
              <table className="quarantine-table" data-testid="quarantine-rows">
                <thead>
                  <tr>
                    <th>Row</th>
                    <th>Job</th>
                    <th>File</th>
                    <th>Violation</th>
                    <th>Message</th>
                    {page.columns.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.rows.map((r) => (
                    <tr key={r.row_ref} className={r.replayed ? 'replayed' : undefined}>
                      <td>
                        <a href={`/quarantine/${page!.output}/${r.row_ref}`}>line {r.line_number ?? r.source_row ?? r.q_row}</a>
                        {r.replayed && <span className="status-ok"> replayed</span>}
                      </td>
                      <td>
                        <a href={`/jobs/${r.job_id}`}>{r.job_id.slice(0, 8)}</a>
                        <div className="muted">{r.job_created_at.slice(0, 19)}</div>
                      </td>
                      <td title={r.file.sha256}>{r.file.name ?? r.file.sha256.slice(0, 12)}</td>
                      <td>{r.violation_type}</td>
                      <td>{r.error_msg}</td>
                      {page!.columns.map((c) => (
                        <td key={c}>{r.values[c] ?? <span className="muted">null</span>}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {replay.map((r) => (
            <details key={r.scope} className="panel" data-testid="quarantine-replay">
              <summary>
                Replay {r.output} rows under the approved contract ({r.scope})
              </summary>
              <p className="muted">A dry run shows how many rows would pass and which open breaks they would change; replay promotes them.</p>
              <ReplayPanel output={r.output} candidates={r.candidates} />
            </details>
          ))}
          <p>
            {params.get('cursor') && <a href={`/quarantine${qs ? `?${qs}` : ''}`}>First page</a>}{' '}
            {page.next_cursor && <a href={`/quarantine?${qs ? `${qs}&` : ''}cursor=${encodeURIComponent(page.next_cursor)}`}>Next page</a>}
          </p>
        </>
      )}
    </>
  );
}
