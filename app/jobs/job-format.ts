// Display helpers shared by the jobs pages (server and client components). Pure.

export const FINAL_STATUSES = new Set(['SUCCESS', 'PARTIAL_SUCCESS', 'FAILED']);

export function statusClass(status: string): string {
  if (status === 'SUCCESS') return 'status-ok';
  if (status === 'PARTIAL_SUCCESS' || status === 'AWAITING_CONTRACT') return 'status-warn';
  if (status === 'FAILED') return 'status-bad';
  return 'muted';
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
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
