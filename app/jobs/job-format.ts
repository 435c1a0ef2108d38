// Display helpers shared by the jobs pages (server and client components). Pure.
import type { BreakPassView } from '../../lib/server/jobs/break-pass-progress';
import type { JobPromotionView } from '../../lib/server/jobs/dispatcher-lookup';
import type { JobQueueView } from '../../lib/server/jobs/job-views';

export const FINAL_STATUSES = new Set(['SUCCESS', 'PARTIAL_SUCCESS', 'FAILED']);

export function statusClass(status: string): string {
  if (status === 'SUCCESS') return 'status-ok';
  if (status === 'PARTIAL_SUCCESS' || status === 'AWAITING_CONTRACT') return 'status-warn';
  if (status === 'FAILED') return 'status-bad';
  return 'muted';
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  // Whole seconds first, so that 119.6 s reads 2 min 0 s, not 1 min 60 s.
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${total % 60} s`;
}

/**
 * How soon a live list should read a job again: 1 s while it is queued or running, 2 s while its
 * break-detection pass is queued or running in this server (the pass holds the database); null
 * when nothing more will change for it here.
 */
export function jobPollMs(j: { status: string; break_detection?: { state: string; pass?: unknown } | null }): number | null {
  if (!FINAL_STATUSES.has(j.status) && j.status !== 'AWAITING_CONTRACT') return 1000;
  return j.break_detection?.state === 'waiting' && j.break_detection.pass ? 2000 : null;
}

/** The soonest of the jobs' polls (jobPollMs); null when none needs one. */
export function soonestPollMs(jobs: readonly Parameters<typeof jobPollMs>[0][]): number | null {
  const due = jobs.map(jobPollMs).filter((ms): ms is number => ms !== null);
  return due.length > 0 ? Math.min(...due) : null;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What a QUEUED job waits for, in one line (the job page). */
export function describeQueue(q: JobQueueView): string {
  if (q.ahead === null) return q.run_after ? `waits to be tried again, not before ${formatTime(q.run_after)} (UTC)` : 'waits to be tried again';
  const ahead = q.ahead > 0 ? `; ${plural(q.ahead, 'job', 'jobs')} ahead of it` : '';
  if (!q.slots) return q.ahead > 0 ? `${plural(q.ahead, 'job', 'jobs')} ahead of it` : 'next to be claimed';
  const { slots, in_use: inUse, job_ids: running } = q.slots;
  if (inUse >= slots) {
    const jobs = running.map((id) => id.slice(0, 8)).join(', ');
    return `waits for a worker: ${inUse} of ${slots} in use (${running.length === 1 ? 'job' : 'jobs'} ${jobs})${ahead}`;
  }
  return `starts when claimed: ${plural(slots - inUse, 'worker slot', 'worker slots')} of ${slots} free${ahead}`;
}

/** A RUNNING job whose workers are done, in one line (the job page). */
export function describePromotion(p: JobPromotionView): string {
  const attempt = p.refusals > 0 && p.attempts !== null ? ` (attempt ${p.refusals + 1} of ${p.attempts})` : '';
  if (p.phase === 'merging') return `workers done; merging the byte ranges (${formatDuration(p.elapsed_ms)})`;
  if (p.phase === 'promoting') return `workers done; promoting: loading the rows into the warehouse${attempt} (${formatDuration(p.elapsed_ms)})`;
  const tries = p.attempts !== null ? ` ${plural(p.refusals, 'time', 'times')} of at most ${p.attempts}` : '';
  return `workers done; DuckDB refused the promotion memory${tries} (a break-detection pass may be holding it); it is tried again at ${formatTime(p.retry_at)} (UTC)`;
}

/** The jobs list's few words on a QUEUED job. */
export function queueBrief(q: JobQueueView | null): string {
  if (!q) return 'waiting';
  if (q.ahead === null) return 'waiting to be tried again';
  return q.ahead > 0 ? `waiting · ${q.ahead} ahead` : 'waiting · next';
}

/** A few words on a final job's break detection, for the jobs list: 'breaks: step 5 of 17', 'breaks: queued', …; null when it is not waiting. */
export function breakDetectionBrief(b: { state: string; pass?: BreakPassView | null } | null): string | null {
  if (!b || b.state !== 'waiting') return null;
  const p = b.pass;
  if (!p) return 'breaks: detecting';
  if (p.phase === 'queued') return 'breaks: queued';
  if (p.phase === 'retrying') return 'breaks: to be tried again';
  if (p.step_number !== null && p.steps !== null) return `breaks: step ${p.step_number} of ${p.steps}`;
  return p.step === 'lock' ? 'breaks: waiting for the database' : 'breaks: detecting';
}

/** One line on where a break-detection pass is (the job page, while the job waits for it). */
export function describeBreakPass(p: BreakPassView): string {
  const others = p.job_ids.length > 1 ? ` · one pass for ${p.job_ids.length} jobs` : '';
  if (p.phase === 'queued') {
    if (p.waits_for === 'running_jobs') return `queued for ${formatDuration(p.elapsed_ms)}: waits for the jobs running now, so that one pass covers them`;
    if (p.waits_for === 'running_pass') return `queued for ${formatDuration(p.elapsed_ms)}: starts after the pass running now`;
    return 'queued: starts now';
  }
  if (p.phase === 'retrying') {
    return `DuckDB refused attempt ${p.attempt} memory; it is tried again shortly · ${formatDuration(p.elapsed_ms)} since the pass started${others}`;
  }
  const attempt = p.attempt > 1 ? ` · attempt ${p.attempt}` : '';
  const since = `${formatDuration(p.elapsed_ms)} since the pass started${attempt}${others}`;
  if (p.step === null) return `between steps · ${since}`;
  const where = p.step_number !== null && p.steps !== null ? `step ${p.step_number} of ${p.steps}: ` : '';
  return `${where}${p.step_label} (${formatDuration(p.step_ms)}) · ${since}`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : n.toLocaleString('en-US');
}

export function formatRate(rowsPerSec: number | null | undefined): string {
  return rowsPerSec === null || rowsPerSec === undefined ? '–' : `${rowsPerSec.toLocaleString('en-US')} rows/s`;
}

export function formatPct(pct: number | null | undefined): string {
  return pct === null || pct === undefined ? '–' : `${pct.toFixed(2)} %`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** '2024-01-02T03:04:05.123456Z' → '2024-01-02 03:04:05' (UTC, as stored). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return iso.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, '');
}
