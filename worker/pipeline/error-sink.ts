// Parse errors of a run (the parser's errorOutput batches) staged as <errorOutput>/errors.parquet.
// They are written as they come, never contract-checked.
import path from 'node:path';
import type { ParserRow } from '../../lib/parsers/parser-types';
import { createParquetSink, PARSE_ERROR_COLUMNS, type ParquetSink } from '../../db/parquet';
import { removeDirIfEmpty } from './output-run';

export const ERRORS_FILE = 'errors.parquet';

export class ErrorOutputRun {
  private sink: ParquetSink | null = null;
  rows = 0;
  readonly byCode: Record<string, number> = {};

  constructor(
    readonly name: string,
    private readonly stagingDir: string,
    private readonly metadata: Record<string, string>,
  ) {}

  async push(rows: ParserRow[]): Promise<void> {
    if (rows.length === 0) return;
    const out = rows.map((r) => {
      const code = typeof r.code === 'string' ? r.code : 'parse_error';
      this.byCode[code] = (this.byCode[code] ?? 0) + 1;
      return { ...r, job_id: this.metadata.job_id, output: this.name, code };
    });
    this.rows += rows.length;
    this.sink ??= await createParquetSink({
      filePath: path.join(this.stagingDir, this.name, ERRORS_FILE),
      columns: PARSE_ERROR_COLUMNS,
      metadata: { ...this.metadata, output: this.name, kind: 'parse_errors' },
    });
    await this.sink.write(out);
  }

  async finish(): Promise<string[]> {
    if (!this.sink) return [];
    await this.sink.finish();
    return [path.relative(this.stagingDir, this.sink.filePath).split(path.sep).join('/')];
  }

  async abort(): Promise<void> {
    await this.sink?.abort();
    await removeDirIfEmpty(path.join(this.stagingDir, this.name));
  }
}
