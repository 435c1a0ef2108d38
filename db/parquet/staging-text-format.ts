// The text format rows are staged in before DuckDB casts them into Parquet (US-delimited,
// RS-quoted CSV; NULL = empty cell, '' = empty quoted cell): see lib/pipeline/staged-text.ts.
import {
  encodeCanonicalCell,
  encodeCell,
  FIELD_DELIMITER,
  isTextDuckdbType,
  LineBuffer,
  QUOTE,
} from '../../lib/pipeline/staged-text';
import type { SinkColumn } from './sink-columns';

// The format itself (cells, quoting, LineBuffer) lives in lib/pipeline/staged-text.ts, because
// the pipeline writes valid rows straight into it; this module adds the sink's row encoder and
// the read_csv options that read it back.
export { encodeCanonicalCell, encodeCell, FIELD_DELIMITER, LineBuffer, QUOTE };

export type RowEncoder = (row: Record<string, unknown>) => string;

/**
 * A function turning one row object into one staged line (no trailing newline), with the
 * column order of `columns`. Generated code reads each property by a constant key, so V8 keeps
 * monomorphic property loads in the per-row hot path; names are embedded with JSON.stringify.
 * Typed columns skip the quoting scan (about a third of the encoding time): their values are
 * canonical text, and a value that is not would fail its CAST (or strict_mode's column count),
 * so it can never land silently in the wrong column.
 */
export function compileRowEncoder(columns: readonly SinkColumn[]): RowEncoder {
  if (columns.length === 0) throw new Error('sink.no_columns: a sink needs at least one column');
  const cells = columns.map((c) => {
    if (c.constant !== undefined) return `''`;
    const fn = isTextDuckdbType(c.duckdbType) ? 'text' : 'canonical';
    return `((v = r[${JSON.stringify(c.name)}]) == null ? '' : ${fn}(v))`;
  });
  const body = `let v; return ${cells.join(` + ${JSON.stringify(FIELD_DELIMITER)} + `)};`;
  const make = new Function('text', 'canonical', `return function encodeRow(r) { ${body} };`) as (
    text: typeof encodeCell,
    canonical: typeof encodeCell,
  ) => RowEncoder;
  return make(encodeCell, encodeCanonicalCell);
}

const MiB = 1 << 20;

/**
 * read_csv's max_line_size and buffer_size for staged text whose longest line is `longestLine`
 * bytes (LF included). DuckDB sizes its read buffers from them and keeps two or more while a row
 * group fills: at a fixed 64 MB (what one 8 MB FIX message with a worst-case `fields` JSON could
 * need) that is 128–192 MB of the engine's memory limit for lines of ~1 KB, and the COPY ran out
 * of memory at a 256MB limit. So both follow the file's own longest line: buffers of at least
 * 16 MiB (DuckDB's default is 16 × its 2 MiB default line size, 32 MiB), and larger than the
 * line bound, which DuckDB requires.
 */
export function readBufferSizes(longestLine: number): { maxLineSize: number; bufferSize: number } {
  const maxLineSize = Math.max(2 * MiB, Math.ceil((longestLine + 1) / MiB) * MiB);
  return { maxLineSize, bufferSize: Math.max(16 * MiB, maxLineSize + MiB) };
}

/** SQL options of read_csv that read back exactly what compileRowEncoder wrote (`longestLine`: see readBufferSizes). */
export function readOptionsSql(longestLine: number): string {
  const { maxLineSize, bufferSize } = readBufferSizes(longestLine);
  return [
    'header = false',
    'auto_detect = false',
    "delim = '\u001f'",
    "quote = '\u001e'",
    "escape = '\u001e'",
    "new_line = '\\n'",
    'allow_quoted_nulls = false',
    'strict_mode = true',
    'null_padding = false',
    // One FIX message (up to 8 MB, its `fields` JSON more) is one line. DuckDB sizes its read
    // buffers from max_line_size unless buffer_size is set (64 MB alone asked for 1 GiB blocks).
    `max_line_size = ${maxLineSize}`,
    `buffer_size = ${bufferSize}`,
    // One reader thread: on a 1M-row fix_order_events file the parallel CSV reader cost ~13.8 s
    // CPU against ~9 s for the serial one (measured, 2 cores, 512 MB limit): with rows kept in
    // insertion order its out-of-order buffers push the COPY past memory_limit into spilling.
    // (The engine now runs each COPY on one thread anyway: parquet-engine.ts.)
    'parallel = false',
  ].join(', ');
}
