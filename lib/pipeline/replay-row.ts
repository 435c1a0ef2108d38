import type { ParserRow } from '../parsers/parser-types';
import { QUARANTINE_META_COLUMNS } from '../contracts/reserved-names';

// Replay: a quarantine row (as the splitter wrote it) turned back into the parser row it came
// from, so it can be validated again under an amended contract. The original texts, the extra
// columns (from _extra_columns) and the position columns are restored; bookkeeping is dropped.

const META: ReadonlySet<string> = new Set<string>([...QUARANTINE_META_COLUMNS, '_cf_job_id', '_cf_source_offset', '_cf_source_length']);

function num(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

export function parserRowFromQuarantine(q: Record<string, unknown>): ParserRow {
  const row: ParserRow = {};
  for (const k of Object.keys(q)) {
    if (META.has(k) || k === 'line_number' || k === 'message_index') continue;
    const v = q[k];
    row[k] = v === null || v === undefined ? null : String(v);
  }
  if (typeof q._extra_columns === 'string' && q._extra_columns !== '') {
    const extra = JSON.parse(q._extra_columns) as Record<string, string | null>;
    for (const [k, v] of Object.entries(extra)) if (!(k in row)) row[k] = v;
  }
  row.line_number = num(q.line_number);
  row.message_index = num(q.message_index);
  row.source_offset = num(q._cf_source_offset);
  row.source_length = num(q._cf_source_length);
  row.__cf_row_id = num(q._source_row);
  return row;
}
