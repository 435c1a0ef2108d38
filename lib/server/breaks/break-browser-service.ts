// The break browser (/breaks) and its export: a sorted, keyset-paginated page of breaks with
// the counts per class and per age bucket, and the filtered set as CSV (streamed page by page)
// or Parquet (a temp file written by DuckDB, deleted once sent). app/ calls this, never db/.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  browseBreaks,
  countsByAge,
  countsByClass,
  decodeKeyset,
  streamBreaks,
  type BreakSortColumn,
  type BrowsePage,
} from '../../../db/breaks/break-browser-queries';
import type { BreakListItem } from '../../../db/breaks/break-queries';
import { exportBreaksParquet } from '../../../db/breaks/export-breaks-parquet';
import { dataDir, getDb, type Db } from '../../../db/open';
import { listUsers } from '../auth/manage-users';
import { ApiError } from '../http/api-error';
import { hasPermission } from '../permissions';
import { filtersOf, type BreakBrowserQuery } from './break-browser-query';
import { csvStream, type CsvColumn } from './breaks-csv';

export type { BreakListItem };

export interface BreakBrowserView extends BrowsePage {
  counts: Record<string, number>;
  ageing: Record<string, number>;
}

export const BROWSER_PAGE_SIZE = 50;

export async function breakBrowserView(q: BreakBrowserQuery, opts: { limit?: number; db?: Db } = {}): Promise<BreakBrowserView> {
  const db = opts.db ?? (await getDb());
  const filters = filtersOf(q);
  const column = q.sort as BreakSortColumn;
  const after = q.cursor ? decodeKeyset(q.cursor) : null;
  const before = !after && q.before ? decodeKeyset(q.before) : null;
  // A cursor from another sort (or not ours) would compare apples with pears: first page instead.
  const usable = (k: typeof after) => (k && k.sort === column ? k : null);
  const [page, counts, ageing] = await Promise.all([
    browseBreaks(db, { filters, sort: { column, desc: q.dir === 'desc' }, after: usable(after), before: usable(before), limit: opts.limit ?? q.limit ?? BROWSER_PAGE_SIZE }),
    countsByClass(db, filters),
    countsByAge(db, filters),
  ]);
  return { ...page, counts, ageing };
}

/** Users a break can be assigned to: enabled accounts allowed to work on breaks. */
export async function breakAssignees(db?: Db): Promise<string[]> {
  const users = await listUsers(db ?? (await getDb()));
  return users.filter((u) => !u.disabled && hasPermission(u, 'breaks.write')).map((u) => u.username);
}

const CSV_COLUMNS: CsvColumn<BreakListItem>[] = [
  { name: 'break_id', kind: 'text', get: (r) => r.break_id },
  { name: 'class', kind: 'text', get: (r) => r.class },
  { name: 'status', kind: 'text', get: (r) => r.status },
  { name: 'severity', kind: 'text', get: (r) => r.severity },
  { name: 'cl_ord_id', kind: 'text', get: (r) => r.cl_ord_id },
  { name: 'chain_root', kind: 'text', get: (r) => r.chain_root },
  { name: 'session', kind: 'text', get: (r) => r.session },
  { name: 'symbol', kind: 'text', get: (r) => r.symbol },
  { name: 'account', kind: 'text', get: (r) => r.account },
  { name: 'assignee', kind: 'text', get: (r) => r.assignee },
  { name: 'trade_date', kind: 'text', get: (r) => r.trade_date },
  { name: 'age_days', kind: 'number', get: (r) => r.age_days },
  { name: 'notional', kind: 'number', get: (r) => r.notional },
  { name: 'first_seen', kind: 'text', get: (r) => r.first_seen },
  { name: 'details', kind: 'text', get: (r) => JSON.stringify(r.details) },
];

/**
 * The filtered set, in the browser's sort order, as CSV text: one query read a chunk per pull
 * (streamBreaks), so the file is one snapshot of the breaks however long the download takes.
 */
export async function exportBreaksCsv(q: BreakBrowserQuery, db?: Db): Promise<ReadableStream<Uint8Array>> {
  const d = db ?? (await getDb());
  const filters = filtersOf(q);
  const sort = { column: q.sort as BreakSortColumn, desc: q.dir === 'desc' };
  return csvStream(async () => ({ columns: CSV_COLUMNS, rows: streamBreaks(d, { filters, sort }) }));
}

/** The filtered set as Parquet; the temp file is removed when the stream ends or is cancelled. */
export async function exportBreaksParquetStream(q: BreakBrowserQuery, db?: Db): Promise<ReadableStream<Uint8Array>> {
  const file = await exportBreaksParquet(db ?? (await getDb()), dataDir(), filtersOf(q));
  const node = createReadStream(file);
  const cleanup = () => void rm(file, { force: true });
  node.once('close', cleanup);
  node.once('error', cleanup);
  return Readable.toWeb(node) as ReadableStream<Uint8Array>;
}

export function assertExportFormat(format: string | null): 'csv' | 'parquet' {
  if (format === null || format === 'csv') return 'csv';
  if (format === 'parquet') return 'parquet';
  throw new ApiError('breaks.bad_export_format', 400, 'format must be csv or parquet.');
}
