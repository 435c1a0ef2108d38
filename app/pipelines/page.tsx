// Pipelines: the current definitions (with watermark and schedule), recent runs with their
// logical date and snapshot hash, and — for users with pipelines.run / pipelines.apply — forms to
// run a logical date, backfill a range, or apply a definition. Forms post to the API routes
// (no JavaScript needed) and come back here with a one-line notice.
import { requirePageUser } from '../../lib/server/auth/current-user';
import { hasPermission } from '../../lib/server/permissions';
import { listPipelineRuns, listPipelines } from '../../lib/server/pipelines/pipelines-service';

export const dynamic = 'force-dynamic';

export default async function PipelinesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser('pipelines.read', '/pipelines');
  const params = await searchParams;
  const notice = typeof params.notice === 'string' ? params.notice : null;
  const canRun = hasPermission(user, 'pipelines.run');
  const canApply = hasPermission(user, 'pipelines.apply');
  const [pipelines, runs] = await Promise.all([listPipelines(), listPipelineRuns({ limit: 100 })]);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <h1>Pipelines</h1>
      {notice && <p className="panel">{notice}</p>}
      {pipelines.length === 0 ? (
        <p className="muted">No pipelines yet. Apply a definition below or with `workbench pipeline apply &lt;file&gt;`.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Version</th>
              <th>Source</th>
              <th>Parser</th>
              <th>Filters</th>
              <th>Schedule</th>
              <th>Watermark</th>
              {canRun && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {pipelines.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td className="num">{p.version}</td>
                <td>{p.definition.source.dir}</td>
                <td>{p.definition.parser}</td>
                <td>{JSON.stringify(p.definition.filters)}</td>
                <td>{p.definition.schedule ?? '—'}</td>
                <td>{p.watermark ?? '—'}</td>
                {canRun && (
                  <td>
                    <form method="post" action={`/api/pipelines/${encodeURIComponent(p.name)}/run`}>
                      <input type="date" name="logical_date" defaultValue={today} required aria-label={`logical date for ${p.name}`} />{' '}
                      <button type="submit">Run</button>
                    </form>
                    <form method="post" action={`/api/pipelines/${encodeURIComponent(p.name)}/backfill`}>
                      <input type="date" name="start" required aria-label={`backfill start for ${p.name}`} />{' '}
                      <input type="date" name="end" defaultValue={today} required aria-label={`backfill end for ${p.name}`} />{' '}
                      <button type="submit">Backfill</button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Runs</h2>
      {runs.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Pipeline</th>
              <th>Logical date</th>
              <th>Status</th>
              <th>Trigger</th>
              <th className="num">Files</th>
              <th className="num">Skipped</th>
              <th>Jobs</th>
              <th>Snapshot hash</th>
              <th>Finished</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>{r.pipeline}</td>
                <td>{r.logical_date}</td>
                <td className={r.status === 'completed' ? 'status-ok' : 'status-bad'} title={r.error_message ?? undefined}>
                  {r.status}
                  {r.error_code ? ` (${r.error_code})` : ''}
                </td>
                <td>{r.trigger}</td>
                <td className="num">{r.files}</td>
                <td className="num">{r.skipped_files}</td>
                <td>
                  {r.job_ids.map((id) => (
                    <a key={id} href={`/jobs/${id}`}>
                      {id.slice(0, 8)}{' '}
                    </a>
                  ))}
                </td>
                <td>
                  <code title={r.snapshot_hash ?? undefined}>{r.snapshot_hash?.slice(0, 12) ?? '—'}</code>
                </td>
                <td>{r.finished_at}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {canApply && (
        <>
          <h2>Apply a definition</h2>
          <form method="post" action="/api/pipelines" className="panel">
            <p className="muted">
              JSON: name, source.dir (under the pipeline root), filters (glob, extension, since as an ISO-8601 duration), parser
              (fix or confirmations_csv), optional schedule (5-field cron, UTC) and export.dir.
            </p>
            <textarea
              name="definition"
              rows={8}
              cols={80}
              aria-label="pipeline definition"
              defaultValue={'{\n  "name": "desk-a",\n  "source": { "dir": "desk-a" },\n  "filters": { "extension": "log", "since": "P1D" },\n  "parser": "fix"\n}'}
            />
            <br />
            <button type="submit">Apply</button>
          </form>
        </>
      )}
    </>
  );
}
