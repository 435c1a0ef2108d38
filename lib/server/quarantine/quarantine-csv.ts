// The export of the filtered quarantine as CSV, streamed a chunk at a time from one query. Cells go through the
// breaks export's neutraliser (lib/server/breaks/breaks-csv.ts): original values are untrusted
// text, so one that a spreadsheet would read as a formula is written with a leading quote.
import type { Db } from '../../../db/open';
import { csvStream, type CsvColumn } from '../breaks/breaks-csv';
import { quarantineExportRows, type QuarantineRowView } from './browse-quarantine';
import type { QuarantineFilters } from './quarantine-filters';

export const MAX_EXPORT_ROWS = 1_000_000;

function columnsFor(valueColumns: string[]): CsvColumn<QuarantineRowView>[] {
  return [
    { name: 'job_id', kind: 'text', get: (r) => r.job_id },
    { name: 'q_row', kind: 'number', get: (r) => r.q_row },
    { name: 'file_name', kind: 'text', get: (r) => r.file.name },
    { name: 'file_sha256', kind: 'text', get: (r) => r.file.sha256 },
    { name: 'job_created_at', kind: 'text', get: (r) => r.job_created_at },
    { name: 'replayed', kind: 'text', get: (r) => (r.replayed ? 'yes' : 'no') },
    { name: 'violation_type', kind: 'text', get: (r) => r.violation_type },
    { name: 'error_msg', kind: 'text', get: (r) => r.error_msg },
    { name: 'line_number', kind: 'number', get: (r) => r.line_number },
    { name: 'source_row', kind: 'number', get: (r) => r.source_row },
    ...valueColumns.map((c): CsvColumn<QuarantineRowView> => ({ name: c, kind: 'text', get: (r) => r.values[c] })),
  ];
}

/** A UTF-8 CSV stream of every row matching the filters (at most maxRows), from one snapshot. */
export function quarantineCsvStream(db: Db, f: QuarantineFilters, maxRows = MAX_EXPORT_ROWS): ReadableStream<Uint8Array> {
  return csvStream(async () => {
    const { columns, rows } = await quarantineExportRows(db, f, maxRows);
    return { columns: columnsFor(columns), rows };
  });
}

/** The whole export as text (tests, small sets). */
export async function quarantineCsvText(db: Db, f: QuarantineFilters, maxRows = MAX_EXPORT_ROWS): Promise<string> {
  return new Response(quarantineCsvStream(db, f, maxRows)).text();
}
