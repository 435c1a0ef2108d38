// One quarantined row: where it came from (job, file, line, byte range), every violation, the
// original values as read, and the raw source bytes read from the upload by the row's lineage.
import { notFound } from 'next/navigation';
import { requirePageUser } from '../../../../lib/server/auth/current-user';
import { quarantineRowFor } from '../../../../lib/server/quarantine/quarantine-service';
import '../../quarantine.css';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ output: string; rowRef: string }> };

export default async function QuarantineRowPage({ params }: Props) {
  const { output, rowRef } = await params;
  await requirePageUser('quarantine.read', `/quarantine/${encodeURIComponent(output)}/${encodeURIComponent(rowRef)}`);
  const row = await quarantineRowFor(output, rowRef);
  if (!row) notFound();
  const back = new URLSearchParams({ output, job_id: row.job_id });
  if (row.replayed) back.set('include_replayed', '1');
  return (
    <>
      <p>
        <a href={`/quarantine?${back.toString()}`}>← Quarantine of this job</a>
      </p>
      <h1>
        Quarantined row: {output}, line {row.line_number ?? '—'}
      </h1>
      <dl className="panel">
        <dt>Job</dt>
        <dd>
          <a href={`/jobs/${row.job_id}`}>{row.job_id}</a> ({row.job_created_at.slice(0, 19)})
        </dd>
        <dt>File</dt>
        <dd>
          {row.file.name ?? '—'} <span className="muted">sha256 {row.file.sha256}</span>
        </dd>
        <dt>Source</dt>
        <dd>
          record {row.source_row ?? '—'}, bytes {row.source_offset ?? '—'} + {row.source_length ?? '—'}
        </dd>
        <dt>Status</dt>
        <dd>{row.replayed ? `replayed (${row.replayed.replay_id}) by ${row.replayed.by ?? '—'} at ${row.replayed.at ?? '—'}` : 'in quarantine'}</dd>
      </dl>
      <h2>Violations</h2>
      <table className="quarantine-table" data-testid="violations">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {row.violations.map((v, i) => (
            <tr key={i}>
              <td>{v.column ?? '—'}</td>
              <td>{v.violation_type}</td>
              <td>{v.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Original values</h2>
      <table className="quarantine-table">
        <tbody>
          {Object.entries(row.values).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{v ?? <span className="muted">null</span>}</td>
            </tr>
          ))}
          {row.extra_columns && (
            <tr>
              <th>extra columns</th>
              <td>{row.extra_columns}</td>
            </tr>
          )}
        </tbody>
      </table>
      <h2>Raw source bytes</h2>
      {row.raw ? (
        <>
          <pre className="quarantine-raw" data-testid="raw-bytes">
            {row.raw.text}
          </pre>
          <p className="muted">{row.raw.bytes} bytes (FIX field separators shown as |)</p>
        </>
      ) : (
        <p className="muted">The source bytes are not available (the upload was purged, or the row has no byte range).</p>
      )}
    </>
  );
}
