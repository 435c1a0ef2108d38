// One job: live status, per-output status and metrics, the quarantine summary by violation
// type with sample rows, parse errors, and lineage (file and sha256, parser id / version /
// logic_hash, contract versions and hashes, Parquet paths, attempts, the run manifest).
import { notFound } from 'next/navigation';
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { hasPermission } from '../../../lib/server/permissions';
import { jobForDetail, jobQuarantineSummary } from '../../../lib/server/jobs/jobs-service';
import { formatBytes, formatCount, formatPct, formatTime, statusClass } from '../job-format';
import { JobLiveStatus } from './job-live-status';
import { CountedSamplesTable } from './counted-samples-table';
import { QuarantineSettingsTable } from './quarantine-settings-table';

export const dynamic = 'force-dynamic';

interface Violation {
  column?: string;
  violation_type?: string;
  message?: string;
}

/** The violations of a quarantined row (its `_violations` JSON), each with the offending original value. */
function violationsOf(row: Record<string, unknown>): { column: string; type: string; message: string; value: string }[] {
  let list: Violation[] = [];
  try {
    const parsed: unknown = JSON.parse(String(row._violations ?? '[]'));
    if (Array.isArray(parsed)) list = parsed as Violation[];
  } catch {
    list = [];
  }
  return list.map((v) => ({
    column: v.column ?? '',
    type: v.violation_type ?? '',
    message: v.message ?? '',
    value: v.column && row[v.column] !== undefined && row[v.column] !== null ? String(row[v.column]) : '∅',
  }));
}

function short(hash: string | null | undefined): string {
  return hash ? `${hash.slice(0, 12)}…` : '–';
}

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser('jobs.read', `/jobs/${encodeURIComponent(id)}`);
  const job = await jobForDetail(id);
  if (!job) notFound();
  const showQuarantine = hasPermission(user, 'quarantine.read');
  const quarantine = showQuarantine ? await jobQuarantineSummary(job.id) : null;

  return (
    <>
      <h1>
        Job <span className="mono">{job.id}</span>
      </h1>
      <JobLiveStatus key={job.status} initial={job} canReadBreaks={hasPermission(user, 'breaks.read')} />

      <h2>Outputs</h2>
      <table aria-label="Outputs">
        <thead>
          <tr>
            <th>Output</th>
            <th>Status</th>
            <th className="num">Valid rows</th>
            <th className="num">Quarantined</th>
            <th className="num">Quarantine %</th>
            <th>Violations</th>
            <th>Contract</th>
            <th>Result hash</th>
          </tr>
        </thead>
        <tbody>
          {job.output_details.length > 0
            ? job.output_details.map((o) => (
                <tr key={o.output}>
                  <td className="mono">{o.output}</td>
                  <td className={statusClass(o.status)}>{o.kind === 'errors' ? 'parse errors' : o.status}</td>
                  <td className="num">{formatCount(o.rows)}</td>
                  <td className="num">{o.kind === 'errors' ? '–' : formatCount(o.quarantine_rows)}</td>
                  <td className="num">{o.kind === 'errors' ? '–' : formatPct(o.quarantine_pct)}</td>
                  <td className="mono">
                    {Object.entries(o.violations).map(([t, n]) => `${t}: ${n}`).join(', ') || '–'}
                  </td>
                  <td className="mono">{o.contract_version !== null ? `v${o.contract_version} ${short(o.contract_hash)}` : '–'}</td>
                  <td className="mono" title={o.result_hash ?? ''}>
                    {short(o.result_hash)}
                  </td>
                </tr>
              ))
            : job.outputs.map((o) => (
                <tr key={o.name}>
                  <td className="mono">{o.name}</td>
                  <td className="muted">{o.status}</td>
                  <td className="num">–</td>
                  <td className="num">–</td>
                  <td className="num">–</td>
                  <td>–</td>
                  <td className="mono">{job.contracts?.[o.name] ? `v${job.contracts[o.name].version}` : '–'}</td>
                  <td>–</td>
                </tr>
              ))}
        </tbody>
      </table>

      <QuarantineSettingsTable jobId={job.id} started={job.status !== 'QUEUED' && job.status !== 'AWAITING_CONTRACT'} />

      {quarantine && (
        <section aria-labelledby="quarantine-heading">
          <h2 id="quarantine-heading">Quarantine summary</h2>
          {quarantine.outputs.every((o) => o.violations.length === 0) ? (
            <p className="muted" data-testid="quarantine-empty">
              {job.status === 'SUCCESS' || job.status === 'PARTIAL_SUCCESS' ? 'No row of this job was quarantined.' : 'Nothing promoted yet.'}
            </p>
          ) : (
            quarantine.outputs
              .filter((o) => o.violations.length > 0)
              .map((o) => (
                <div key={o.output} className="panel">
                  <h3 className="mono">{o.output}</h3>
                  <CountedSamplesTable
                    label={`Quarantine summary of ${o.output}`}
                    kindHeader="Violation type"
                    countHeader="Rows"
                    samplesHeader="Sample rows (source row · column = original value · reason)"
                    items={o.violations.map((v) => ({
                      kind: v.violation_type,
                      rows: v.rows,
                      samples: v.samples.map((s) => ({
                        key: String(s._q_row),
                        text: (
                          <>
                            row {String(s._source_row ?? s._output_row_index ?? '?')}
                            {s.line_number != null ? ` (line ${String(s.line_number)})` : ''}:{' '}
                            {violationsOf(s)
                              .map((x) => `${x.column} = ${JSON.stringify(x.value)} · ${x.message || x.type}`)
                              .join('; ') || String(s._error_msg ?? '')}
                          </>
                        ),
                      })),
                    }))}
                  />
                </div>
              ))
          )}
          {quarantine.parse_errors.length > 0 && (
            <>
              <h3>Parse errors</h3>
              <CountedSamplesTable
                label="Parse errors"
                kindHeader="Code"
                countHeader="Count"
                samplesHeader="Samples"
                items={quarantine.parse_errors.map((e) => ({
                  kind: e.code,
                  rows: e.rows,
                  samples: e.samples.map((s, i) => ({
                    key: String(i),
                    text: (
                      <>
                        line {s.line_number ?? '?'}: {s.message} <span className="muted">{JSON.stringify((s.raw ?? '').slice(0, 120))}</span>
                      </>
                    ),
                  })),
                }))}
              />
            </>
          )}
        </section>
      )}

      <h2>Lineage</h2>
      <table aria-label="Lineage">
        <tbody>
          <tr>
            <th>File</th>
            <td>
              {job.source.name ?? 'unnamed'} <span className="muted">({formatBytes(job.source.bytes)})</span>
            </td>
          </tr>
          <tr>
            <th>sha256</th>
            <td className="mono">{job.source.sha256}</td>
          </tr>
          <tr>
            <th>Upload</th>
            <td className="mono">
              {job.source.upload_id} <span className="muted">by {job.created_by}, {formatTime(job.created_at)} UTC</span>
            </td>
          </tr>
          <tr>
            <th>Pipeline</th>
            <td className="mono" data-testid="job-pipeline">
              {job.pipeline ? (
                <>
                  <a href="/pipelines">{job.pipeline.name}</a> logical date {job.pipeline.logical_date ?? '–'}{' '}
                  <span className="muted">
                    snapshot {job.pipeline.snapshot_hash ?? '–'} · run {job.pipeline.run_id}
                    {job.pipeline.trigger ? ` (${job.pipeline.trigger})` : ''}
                  </span>
                </>
              ) : (
                <span className="muted">uploaded by hand</span>
              )}
            </td>
          </tr>
          <tr>
            <th>Parser</th>
            <td className="mono">
              {job.parser.id} {job.parser.version} <span className="muted">logic_hash {job.parser.logic_hash}</span>
            </td>
          </tr>
          <tr>
            <th>Contracts</th>
            <td className="mono">
              {job.contracts
                ? Object.entries(job.contracts).map(([output, c]) => (
                    <div key={output}>
                      {output}: v{c.version} <span className="muted">content_hash {c.content_hash}</span>
                    </div>
                  ))
                : '–'}
            </td>
          </tr>
          <tr>
            <th>Parquet</th>
            <td className="mono">
              {job.files.flatMap((f) => f.paths).length > 0 ? job.files.flatMap((f) => f.paths).map((p) => <div key={p}>{p}</div>) : '–'}
            </td>
          </tr>
          <tr>
            <th>Started / finished</th>
            <td className="mono">
              {formatTime(job.started_at)} / {formatTime(job.finished_at)}
            </td>
          </tr>
        </tbody>
      </table>

      {job.attempt_history.length > 0 && (
        <>
          <h2>Attempts</h2>
          <table aria-label="Attempts">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Started (UTC)</th>
                <th>Finished (UTC)</th>
                <th>Outcome</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {job.attempt_history.map((a) => (
                <tr key={a.attempt}>
                  <td className="num">{a.attempt}</td>
                  <td className="mono">{formatTime(a.started_at)}</td>
                  <td className="mono">{formatTime(a.finished_at)}</td>
                  <td>{a.outcome ?? 'running'}</td>
                  <td className="mono">{a.error_code ? `${a.error_code}: ${a.error_message ?? ''}` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {job.manifest != null && (
        <details>
          <summary>Run manifest</summary>
          <pre className="panel" style={{ overflowX: 'auto' }}>
            {JSON.stringify(job.manifest, null, 2)}
          </pre>
        </details>
      )}
    </>
  );
}
