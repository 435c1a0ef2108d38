// What app/ (pages and route handlers) calls for the cross-job quarantine browser, on the
// process's database. app/ never imports db/ itself.
import { getDb, type Db } from '../../../db/open';
import { ApiError } from '../http/api-error';
import { browseQuarantine, quarantineExportCount, quarantineRowDetail, type QuarantineBrowsePage, type QuarantineRowDetail } from './browse-quarantine';
import { MAX_EXPORT_ROWS, quarantineCsvStream } from './quarantine-csv';
import type { QuarantineFilters } from './quarantine-filters';

export { parseQuarantineFilters, parseBrowseLimit, filtersToParams, MAX_BROWSE_LIMIT, type QuarantineFilters } from './quarantine-filters';
export type { QuarantineBrowsePage, QuarantineRowDetail, QuarantineRowView } from './browse-quarantine';

export async function quarantinePageFor(f: QuarantineFilters, cursor: string | null, limit: number): Promise<QuarantineBrowsePage> {
  return browseQuarantine(await getDb(), f, cursor, limit);
}

export async function quarantineRowFor(output: string, ref: string): Promise<QuarantineRowDetail | null> {
  return quarantineRowDetail(await getDb(), output, ref);
}

/** How many rows match the filters, and whether an export may hold them all. */
export async function quarantineMatchesFor(f: QuarantineFilters, db?: Db, maxRows = MAX_EXPORT_ROWS): Promise<{ rows: number; exportable: boolean; max_export_rows: number }> {
  const rows = await quarantineExportCount(db ?? (await getDb()), f);
  return { rows, exportable: rows <= maxRows, max_export_rows: maxRows };
}

/**
 * The CSV export of the filtered quarantine. Refused before anything is sent when the filters
 * match more than maxRows rows (422 quarantine.export_too_large: a spreadsheet holds 1,048,576
 * rows), or name an output without quarantine (400): the file always holds every matching row.
 */
export async function quarantineExportStream(f: QuarantineFilters, db?: Db, maxRows = MAX_EXPORT_ROWS): Promise<ReadableStream<Uint8Array>> {
  const d = db ?? (await getDb());
  const n = await quarantineExportCount(d, f);
  if (n > maxRows) {
    throw new ApiError(
      'quarantine.export_too_large',
      422,
      `${n.toLocaleString('en-US')} rows match; an export holds at most ${maxRows.toLocaleString('en-US')}. Narrow the filters (job, file, violation type, dates) and export the parts.`,
    );
  }
  return quarantineCsvStream(d, f, maxRows);
}
