'use client';
// The live part of the job page: while the job is queued or running, polls /api/jobs/{id}
// every second and shows progress; when the status changes the server-rendered page is
// refreshed (outputs, quarantine summary and lineage appear once the job is promoted).
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { JobView } from '../../../lib/server/jobs/job-views';
import { describeBreakPass, describePromotion, describeQueue, FINAL_STATUSES, formatBytes, formatCount, formatDuration, formatRate, statusClass } from '../job-format';

/** The steps of a break-detection pass: those done with their times, the one running, those to come. */
interface PassStepsProps {
  done: { step: string; label: string; ms: number }[];
  current: { label: string; ms: number | null } | null;
  toCome: { step: string; label: string }[];
}

function PassSteps(props: PassStepsProps) {
  return (
    <details className="pass-steps" data-testid="job-breaks-steps">
      <summary>Steps of the pass</summary>
      <ol>
        {props.done.map((d) => (
          <li key={d.step} className="muted">
            {d.label}: {formatDuration(d.ms)}
          </li>
        ))}
        {props.current && (
          <li>
            <strong>{props.current.label}</strong>: {formatDuration(props.current.ms)} so far
          </li>
        )}
        {props.toCome.map((d) => (
          <li key={d.step} className="muted">
            {d.label}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** canReadBreaks: the user may open the breaks (an ops user may not: no link to a page that refuses them). */
export function JobLiveStatus({ initial, canReadBreaks }: { initial: JobView; canReadBreaks: boolean }) {
  const [job, setJob] = useState<JobView>(initial);
  const router = useRouter();

  // A final job is still polled while its break-detection pass has not run (minutes at 10M
  // messages), every 2 s instead of every second: the pass holds the database.
  const detecting = job.break_detection?.state === 'waiting';
  useEffect(() => {
    if ((FINAL_STATUSES.has(job.status) && !detecting) || job.status === 'AWAITING_CONTRACT') return;
    let stopped = false;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/jobs/${encodeURIComponent(job.id)}`, { cache: 'no-store' });
        if (stopped) return;
        // A refused poll (503 db.busy while a long pass runs, a 500) leaves the status as it is
        // and polls again: returning without a state change would stop the polling for good.
        if (!res.ok) return setJob({ ...job });
        const next = (await res.json()) as JobView;
        if (stopped) return;
        if (next.status !== job.status) router.refresh();
        setJob(next);
      } catch {
        if (!stopped) setJob({ ...job });
      }
    }, detecting ? 2000 : 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job, router, detecting]);

  const p = job.progress;
  const b = job.break_detection;
  // One list, in one place, from the running pass or the one recorded: an expanded list stays
  // open when the pass ends (or its second attempt starts).
  const running = b?.state === 'waiting' && b.pass && (b.pass.done.length > 0 || b.pass.to_come.length > 0) ? b.pass : null;
  const steps: PassStepsProps | null = running
    ? { done: running.done, current: running.step ? { label: running.step_label ?? running.step, ms: running.step_ms } : null, toCome: running.to_come }
    : b?.state === 'done' && b.steps
      ? { done: b.steps, current: null, toCome: [] }
      : null;
  return (
    <div className="panel" data-testid="job-status-panel">
      <p>
        Status: <strong className={statusClass(job.status)} data-testid="job-status">{job.status}</strong>
        {job.attempts > 0 && (
          <span className="muted">
            {' '}
            · attempt {job.attempts} of at most {job.max_attempts}
          </span>
        )}
        {job.duration_ms !== null && <span className="muted"> · {formatDuration(job.duration_ms)}</span>}
        {job.rows_per_sec !== null && <span className="muted"> · {formatRate(job.rows_per_sec)}</span>}
      </p>
      {job.status === 'RUNNING' && p && (
        <label>
          <span>
            {formatBytes(p.bytes)} of {formatBytes(p.total_bytes)} read · {formatCount(p.rows)} rows · {formatRate(p.rows_per_sec)}
          </span>
          <progress aria-label="Job progress" max={p.total_bytes || 1} value={Math.min(p.bytes, p.total_bytes || 1)} />
        </label>
      )}
      {job.status === 'RUNNING' && job.promotion && (
        <p className={job.promotion.phase === 'waiting_for_memory' ? 'status-warn' : 'muted'} data-testid="job-promotion">
          {describePromotion(job.promotion)}
        </p>
      )}
      {job.status === 'QUEUED' && job.queue && (
        <p className="muted" data-testid="job-queue">
          Queued: {describeQueue(job.queue)}
        </p>
      )}
      {job.status === 'AWAITING_CONTRACT' && (
        <p className="status-warn">Waiting for an approved contract for every output of the parser; it runs as soon as one is approved.</p>
      )}
      {b && (
        <p data-testid="job-breaks" className={b.state === 'failed' ? 'error' : undefined} role={b.state === 'failed' ? 'alert' : undefined}>
          {b.state === 'waiting' && (
            <>
              Breaks: <strong>detecting</strong>{' '}
              {b.pass ? (
                <span data-testid="job-breaks-pass">{describeBreakPass(b.pass)}</span>
              ) : (
                <span className="muted">(a pass over the sessions of this job; minutes for millions of messages)</span>
              )}
            </>
          )}
          {b.state === 'done' && (
            <>
              Breaks detected{b.ms !== null && <span className="muted"> in {formatDuration(b.ms)}</span>}
              {canReadBreaks && (
                <>
                  {' '}
                  · <a href="/breaks">Open the breaks</a>
                </>
              )}
            </>
          )}
          {b.state === 'failed' && (
            <>
              Break detection failed ({b.error}). The rows stay promoted; the breaks shown are those of the last pass that succeeded, and the next
              promotion&apos;s pass recomputes them.
            </>
          )}
        </p>
      )}
      {steps && <PassSteps {...steps} />}
      {job.error && (
        <p className="error" role="alert">
          {job.error.message} <code>{job.error.code}</code>
        </p>
      )}
      {job.last_attempt_error && (
        <p className="status-warn">
          The last attempt failed ({job.last_attempt_error.code}: {job.last_attempt_error.message}); it is retried.
        </p>
      )}
    </div>
  );
}
