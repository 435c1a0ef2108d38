import type { ColumnSpec } from '../contracts/column-type';

// The contract between a parser and the pipeline. A parser is pure compute: bytes in,
// batches of rows out. It never touches the database and never reads a whole file into memory.

/**
 * One cell as a parser emits it. Field values are kept as their exact source text (a price is
 * the string "101.25", never a JS number); typing happens in the contract validator.
 * Numbers appear only for position metadata (line_number, message_index, source_offset,
 * source_length, __cf_row_id), which are safe integers; booleans only for integrity flags.
 */
export type CellValue = string | number | boolean | null;
export type ParserRow = Record<string, CellValue>;

/**
 * Columns every row of every parser output carries (the pipeline turns them into lineage and
 * does not check them against the contract's column list):
 * - line_number: 1-based line of the first byte of the row in the file
 * - message_index: 0-based index of the message / record in the file
 * - source_offset, source_length: the byte span of the row's source in the file
 * - __cf_row_id: stable id of the row within the file (becomes `_source_row` in quarantine)
 */
export const POSITION_COLUMNS = ['line_number', 'message_index', 'source_offset', 'source_length', '__cf_row_id'] as const;

/** The intended schema of one output, declared in the parser's code. */
export interface OutputIntent {
  name: string;
  description: string;
  /** Business columns in order; POSITION_COLUMNS are implied and not listed. */
  columns: ColumnSpec[];
}

/** A batch of rows of one output, in file order. */
export interface OutputBatch {
  output: string;
  rows: ParserRow[];
}

/**
 * A parse error: bytes that look like input but cannot become a row. Stable `code`
 * (e.g. `fix.garbled_field`, `csv.wrong_cell_count`), a human message, the raw text (capped),
 * and where it is in the file.
 */
export interface ParseErrorRow {
  code: string;
  message: string;
  raw: string;
  line_number: number;
  source_offset: number;
  source_length: number;
}

export interface ParseSummary {
  /** e.g. 'fix' or 'csv' */
  format: string;
  /** FIX: 'SOH' | '|' | '^A' | 'mixed'; CSV: ',' | ';' | '\t' */
  delimiter: string | null;
  /** Messages (FIX) or records (CSV) read, parse errors excluded. */
  messages: number;
  bytesRead: number;
  rowsPerOutput: Record<string, number>;
  parseErrors: Record<string, number>;
  /** Parser-specific counts, e.g. FIX { msg_types, integrity: {body_length_mismatch, ...} }. */
  details: Record<string, unknown>;
}

export interface ParseOptions {
  /** Byte offset of the first chunk within the file (for byte-range workers); default 0. */
  baseOffset?: number;
  /** Line number of the first byte of the first chunk; default 1. */
  baseLine?: number;
  /** Index given to the first message; default 0. */
  baseMessageIndex?: number;
  /** Rows per emitted batch (a soft target); default 4096. */
  batchSize?: number;
}

export interface ParserDefinition {
  id: string;
  /** semver */
  version: string;
  outputs: OutputIntent[];
  /** Name of the output that receives ParseErrorRow rows (written as is, never contract-checked). */
  errorOutput: string;
  /** sha256 (hex) of the parser's own source files. */
  logicHash(): string;
  /** A score in [0, 1] that the first bytes of a file are this parser's input. */
  sniff(head: Uint8Array): number;
  /**
   * Streams rows out of a byte stream. Yields batches (error rows come as batches of
   * `errorOutput`); returns the summary when the input ends. Never throws on bad input:
   * bad bytes become parse errors or flags.
   */
  parse(input: AsyncIterable<Uint8Array>, options?: ParseOptions): AsyncGenerator<OutputBatch, ParseSummary, void>;
}
