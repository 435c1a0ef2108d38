// Writes a stream of row batches to one Parquet file with typed columns and key/value metadata.
//
// How: each batch is encoded by Node into staged text (staging-text-format.ts) appended to a
// temporary file beside the target; finish() runs one DuckDB statement
//   COPY (SELECT CAST(...) FROM read_csv(staged)) TO target (FORMAT parquet, KV_METADATA {...})
// which streams: neither side ever holds more than a batch (Node) or a row group (DuckDB), so
// memory stays bounded whatever the file size. Measured alternatives were slower: the columnar
// Appender (VARCHAR chunks + INSERT … SELECT CAST) and the typed Appender (which also drops
// timestamp offsets and rounds decimals, so it must never receive typed values).
//
// Invariants: the target path appears only when the Parquet file is complete (written under a
// temporary name, then renamed); abort() removes every file the sink created.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
// Reliability (helper C): fsync + rename with the suite's fault sites (worker/fault-points.ts).
import { ioFault } from '../../worker/fault-points';
import { publishParquetFile } from '../../worker/publish-parquet-file';
import { quoteIdent, quoteString } from '../sql';
import { castFromTextSql } from './cast-from-text';
import { withParquetConnection } from './parquet-engine';
import { assertUniqueColumns, type SinkColumn } from './sink-columns';
import { compileRowEncoder, LineBuffer, readOptionsSql, type RowEncoder } from './staging-text-format';

export interface ParquetSinkOptions {
  /** Final path of the Parquet file; its directory is created if needed. */
  filePath: string;
  columns: readonly SinkColumn[];
  /** Written as Parquet key/value file metadata (e.g. job_id, contract_hash, source_hash). */
  metadata?: Record<string, string>;
  /** Parquet compression codec; default zstd. */
  compression?: 'zstd' | 'snappy' | 'uncompressed';
  /** Rows per Parquet row group; default from the staged bytes per row (rowGroupRowsFor). */
  rowGroupSize?: number;
  /**
   * Dictionary-encode columns (DuckDB's default); default false. Measured on a 1M-row
   * fix_order_events COPY (one thread, zstd, 3 paired runs): 4.51 s CPU without dictionaries
   * against 4.88 s with, for a file 0.9 % larger that loads into a table at the same cost (these
   * files are staging for promotion, read whole, never filtered on).
   */
  dictionary?: boolean;
}

export interface ParquetSinkResult {
  filePath: string;
  rows: number;
}

export interface ParquetSink {
  readonly filePath: string;
  readonly columns: readonly SinkColumn[];
  /** Rows accepted so far. */
  readonly rows: number;
  /** Appends rows (missing keys are NULL, extra keys are ignored). Resolves when the stream accepts more. */
  write(rows: readonly Record<string, unknown>[]): Promise<void>;
  /**
   * Appends rows already in staged text (lib/pipeline/staged-text.ts): whole lines, each ending
   * in LF, with exactly this sink's columns in order and constant columns as empty cells (what
   * lib/pipeline's fused writer produces). `rows` is the number of lines, `longestLine` the
   * bytes of the longest (LF included; an upper bound will do): the reader's buffers are sized
   * from it. Resolves when the stream accepts more.
   */
  writeStaged(bytes: Uint8Array, rows: number, longestLine: number): Promise<void>;
  /** Converts everything written into the Parquet file (also when no row was written: schema only). */
  finish(): Promise<ParquetSinkResult>;
  /** Discards the staged rows and any partial output. Safe to call more than once. */
  abort(): Promise<void>;
}

export async function createParquetSink(opts: ParquetSinkOptions): Promise<ParquetSink> {
  assertUniqueColumns(opts.columns);
  for (const key of Object.keys(opts.metadata ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`sink.bad_metadata_key: '${key}'`);
  }
  const filePath = path.resolve(opts.filePath);
  await mkdir(path.dirname(filePath), { recursive: true });
  const stagedPath = `${filePath}.staged.tmp`;
  const partialPath = `${filePath}.partial.tmp`;
  const encode: RowEncoder = compileRowEncoder(opts.columns);
  const stream: WriteStream = createWriteStream(stagedPath, { flags: 'w', highWaterMark: 4 << 20 });
  let streamError: Error | null = null;
  stream.on('error', (e) => {
    streamError = e;
  });
  let rows = 0;
  /** Staged bytes written (put), and the longest line given to writeStaged; write()'s longest is in `lines`. */
  let stagedBytes = 0;
  let longestStaged = 0;
  let state: 'open' | 'finished' | 'aborted' = 'open';

  const lines = new LineBuffer();
  /** Every staged byte goes through here (counted for the row-group size). */
  const put = (bytes: Uint8Array): boolean => {
    stagedBytes += bytes.length;
    return stream.write(bytes);
  };
  const endStream = () =>
    new Promise<void>((resolve, reject) => {
      if (stream.closed) return resolve();
      const rest = lines.take();
      if (rest.length > 0) put(rest);
      stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });

  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        stream.off('error', onError);
        resolve();
      };
      const onError = (e: Error) => {
        stream.off('drain', onDrain);
        reject(e);
      };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });

  const sink: ParquetSink = {
    filePath,
    columns: opts.columns,
    get rows() {
      return rows;
    },
    async write(batch) {
      if (state !== 'open') throw new Error(`sink.closed: ${path.basename(filePath)} is ${state}`);
      if (streamError) throw streamError;
      if (batch.length === 0) return;
      let writable = true;
      for (let i = 0; i < batch.length; i++) {
        const full = lines.push(encode(batch[i]));
        if (full !== null && full.length > 0) writable = put(full) && writable;
      }
      rows += batch.length;
      if (!writable) await drained();
    },
    async writeStaged(bytes, count, longestLine) {
      if (state !== 'open') throw new Error(`sink.closed: ${path.basename(filePath)} is ${state}`);
      if (streamError) throw streamError;
      if (bytes.length === 0) return;
      if (bytes[bytes.length - 1] !== 0x0a) throw new Error('sink.bad_staged_text: staged bytes must end with a line feed');
      if (!(longestLine > 0)) throw new Error('sink.bad_staged_text: the longest line of staged bytes must be given');
      // Lines encoded by write() so far go first: rows keep their order.
      let writable = true;
      if (lines.size > 0) writable = put(lines.take());
      writable = put(bytes) && writable;
      if (longestLine > longestStaged) longestStaged = longestLine;
      rows += count;
      if (!writable) await drained();
    },
    async finish() {
      if (state !== 'open') throw new Error(`sink.closed: ${path.basename(filePath)} is ${state}`);
      state = 'finished';
      try {
        await endStream();
        if (streamError) throw streamError;
        ioFault('parquet_write', 'write', partialPath); // reliability fault site (inert unless armed)
        const staged = { bytes: stagedBytes, rows, longestLine: Math.max(longestStaged, lines.longestLine) };
        await withParquetConnection((con) => con.run(copySql(opts, stagedPath, partialPath, staged)));
        await publishParquetFile(partialPath, filePath); // fsync, then rename (reliability: durable name)
      } catch (e) {
        await rm(partialPath, { force: true });
        throw e;
      } finally {
        await rm(stagedPath, { force: true });
      }
      return { filePath, rows };
    },
    async abort() {
      if (state === 'aborted') return;
      const wasOpen = state === 'open';
      state = 'aborted';
      if (wasOpen) await endStream().catch(() => undefined);
      await Promise.all([stagedPath, partialPath].map((p) => rm(p, { force: true })));
      if (!wasOpen) await rm(filePath, { force: true });
    },
  };
  return sink;
}

/**
 * Rows per Parquet row group, from the staged bytes per row. The COPY holds about one row
 * group twice (its column data, then the writer's encoded pages), so a row group is bounded
 * by bytes, not rows: ROW_GROUP_TARGET_BYTES of staged text, at most DuckDB's default 122,880
 * rows, a multiple of DuckDB's 2,048-row vectors. (COPY's ROW_GROUP_SIZE_BYTES would do this, but
 * DuckDB applies it only without preserve_insertion_order, which the files need.)
 *
 * Why 122,880 matters: promotion inserts a file with one `INSERT … SELECT FROM read_parquet`,
 * and DuckDB's batch insert writes each Parquet row group that fills a table row group (122,880
 * rows) on the thread that read it, but merges smaller ones and writes them at the end, after
 * the parallel part. A 495k-row file of FIX order events in 69,632-row groups took 3.4–3.5 s to
 * insert; the same rows in 122,880-row groups 1.8–1.9 s (docs/performance.md, "Promotion").
 */
export function rowGroupRowsFor(stagedBytes: number, rows: number): number {
  if (rows === 0 || stagedBytes === 0) return MAX_ROW_GROUP_ROWS;
  const fit = Math.floor(ROW_GROUP_TARGET_BYTES / (stagedBytes / rows) / VECTOR_ROWS) * VECTOR_ROWS;
  return Math.min(MAX_ROW_GROUP_ROWS, Math.max(VECTOR_ROWS, fit));
}

/**
 * 112 MiB of staged text gives rows of up to 955 bytes DuckDB's full 122,880 (a FIX order event
 * stages about 710). Measured on one 5M-row fix_order_events range (`npm run bench --
 * worker-memory --messages 5000000`): the COPY's column data and writer pages peak at 165 + 170
 * MiB with 122,880-row groups (94 + 99 with the 48 MiB bound this replaced, 69,632-row groups),
 * and the worker at 896 MiB with the engine's 384MB limit (parquet-engine.ts), 728–771 before;
 * at 570 MiB with the allocator setting workers start with (lib/server/jobs/worker-env.ts).
 */
const ROW_GROUP_TARGET_BYTES = 112 << 20;
const MAX_ROW_GROUP_ROWS = 122_880;
const VECTOR_ROWS = 2_048;

function copySql(opts: ParquetSinkOptions, stagedPath: string, outPath: string, staged: { bytes: number; rows: number; longestLine: number }): string {
  // Constant columns are staged as empty cells (cheap to skip) and selected as cast literals.
  const columnsSpec = `{${opts.columns.map((c) => `${quoteString(c.name)}: 'VARCHAR'`).join(', ')}}`;
  const select = opts.columns
    .map((c) => {
      if (c.constant === undefined) return `${castFromTextSql(c.name, c.duckdbType)} AS ${quoteIdent(c.name)}`;
      const literal = c.constant === null ? 'NULL' : quoteString(c.constant);
      return `CAST(${literal} AS ${c.duckdbType}) AS ${quoteIdent(c.name)}`;
    })
    .join(', ');
  const source = `read_csv(${quoteString(stagedPath)}, columns = ${columnsSpec}, ${readOptionsSql(staged.longestLine)})`;
  const rowGroupRows = opts.rowGroupSize ?? rowGroupRowsFor(staged.bytes, staged.rows);
  const options = [`FORMAT parquet`, `COMPRESSION ${opts.compression ?? 'zstd'}`, `ROW_GROUP_SIZE ${Math.trunc(rowGroupRows)}`];
  if (!opts.dictionary) options.push('DICTIONARY_SIZE_LIMIT 0');
  const meta = Object.entries(opts.metadata ?? {});
  if (meta.length > 0) options.push(`KV_METADATA {${meta.map(([k, v]) => `${k}: ${quoteString(v)}`).join(', ')}}`);
  return `COPY (SELECT ${select} FROM ${source}) TO ${quoteString(outPath)} (${options.join(', ')})`;
}
