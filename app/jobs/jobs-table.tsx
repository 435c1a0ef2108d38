'use client';
// The jobs list, kept live: it re-reads /api/jobs every second while a job is queued or
// running, every 2 s while a finished job's break-detection pass is queued or running here, and
// every 5 s otherwise (to pick up new uploads); it shows running jobs' progress and where a
// finished job's pass is.
import { useEffect, useState } from 'react';
import type { JobView } from '../../lib/server/jobs/job-views';
import { breakDetectionBrief, FINAL_STATUSES, queueBrief, soonestPollMs, formatCount, formatDuration, formatPct, formatRate, formatTime, statusClass } from './job-format';

/**
 * `before`: the cursor this page starts after (null: the newest jobs), `older`: the next page's.
 * The page keeps reading its own slice of the list.
 */
export function JobsTable({ initial, before = null, older: initialOlder = null }: { initial: JobView[]; before?: string | null; older?: string | null }) {
  const [jobs, setJobs] = useState<JobView[]>(initial);
  const [older, setOlder] = useState<string | null>(initialOlder);
  const [stale, setStale] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Every 5 s when no job needs a sooner read, to pick up new uploads.
    const interval = (list: JobView[]) => soonestPollMs(list) ?? 5000;
    let next = interval(jobs);
    async function poll() {
      try {
        const res = await fetch(`/api/jobs${before ? `?before=${encodeURIComponent(before)}` : ''}`, { cache: 'no-store' });
        if (res.ok) {
          const body = (await res.json()) as { jobs: JobView[]; older: string | null };
          if (stopped) return;
          setJobs(body.jobs);
          setOlder(body.older);
          setStale(false);
          next = interval(body.jobs);
        } else if (!stopped) setStale(true);
      } catch {
        if (!stopped) setStale(true);
      }
      if (!stopped) timer = setTimeout(poll, next);
    }
    timer = setTimeout(poll, next);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
    // Polling starts once; it carries its own state.
  }, []);

  const nav =
    before || older ? (
      <nav className="list-pager" aria-label="Pages of jobs">
        {before ? <a href="/jobs">Newest jobs</a> : null}
        {before && older ? ' · ' : null}
        {older ? <a href={`/jobs?before=${encodeURIComponent(older)}`}>Older jobs</a> : null}
      </nav>
    ) : null;
  if (jobs.length === 0) {
    return before ? (
      <>
        <p className="muted">No older jobs.</p>
        {nav}
      </>
    ) : (
      <p className="muted">No jobs yet. Upload a FIX log or a confirmations file to start one.</p>
    );
  }
  return (
    <>
      {stale && <p className="status-warn">The list could not be refreshed; it shows the last state read.</p>}
      <table aria-label="Jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>File</th>
            <th>Parser</th>
            <th>Pipeline (logical date · snapshot)</th>
            <th>Status</th>
            <th className="num">Rows</th>
            <th className="num">Quarantined</th>
            <th className="num">Quarantine %</th>
            <th className="num">Duration</th>
            <th className="num">Throughput</th>
            <th>Progress</th>
            <th>Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => {
            const rows = j.outputs.reduce((n, o) => n + o.rows, 0);
            const quarantined = j.outputs.reduce((n, o) => n + o.quarantine_rows, 0);
            const running = j.status === 'RUNNING';
            return (
              <tr key={j.id} data-testid={`job-row-${j.id}`}>
                <td className="mono">
                  <a href={`/jobs/${j.id}`}>{j.id.slice(0, 8)}</a>
                </td>
                <td>{j.source.name ?? <span className="muted">unnamed</span>}</td>
                <td className="mono">
                  {j.parser.id} {j.parser.version}
                </td>
                <td className="mono">
                  {j.pipeline ? (
                    <span title={j.pipeline.snapshot_hash ?? ''}>
                      {j.pipeline.name} · {j.pipeline.logical_date ?? '–'} · {j.pipeline.snapshot_hash ? `${j.pipeline.snapshot_hash.slice(0, 12)}…` : '–'}
                    </span>
                  ) : (
                    <span className="muted">upload</span>
                  )}
                </td>
                <td>
                  <span className={statusClass(j.status)}>{j.status}</span>
                  {j.attempts > 1 && <span className="muted"> (attempt {j.attempts})</span>}
                </td>
                <td className="num">{FINAL_STATUSES.has(j.status) ? formatCount(rows) : '–'}</td>
                <td className="num">{FINAL_STATUSES.has(j.status) ? formatCount(quarantined) : '–'}</td>
                <td className="num">{formatPct(j.quarantine_pct)}</td>
                <td className="num">{formatDuration(j.duration_ms)}</td>
                <td className="num">{formatRate(j.rows_per_sec)}</td>
                <td style={{ minWidth: '9rem' }}>
                  {running && j.progress ? (
                    <>
                      <progress
                        aria-label={`Progress of job ${j.id.slice(0, 8)}`}
                        max={j.progress.total_bytes || 1}
                        value={Math.min(j.progress.bytes, j.progress.total_bytes || 1)}
                      />
                      <span className="muted">
                        {formatCount(j.progress.rows)} rows{j.progress.percent !== null ? ` · ${j.progress.percent} %` : ''}
                        {j.promotion ? ` · ${j.promotion.phase === 'waiting_for_memory' ? 'promotion waits for memory' : j.promotion.phase}` : ''}
                      </span>
                    </>
                  ) : FINAL_STATUSES.has(j.status) ? (
                    <span className="muted">{breakDetectionBrief(j.break_detection) ?? 'done'}</span>
                  ) : (
                    <span className="muted">{j.status === 'AWAITING_CONTRACT' ? 'waiting for a contract' : j.status === 'QUEUED' ? queueBrief(j.queue) : 'waiting'}</span>
                  )}
                </td>
                <td className="mono">{formatTime(j.created_at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {nav}
    </>
  );
}
