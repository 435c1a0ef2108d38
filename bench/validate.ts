// `npm run bench -- validate`: the cost of validate + split + lineage + Parquet on FIX order
// events, beside the parse ceiling and the parse alone, all measured in this run on one file.
// - ceiling: read the file and split it into fields (the least any FIX reader does);
// - parse: fixParser over the file, batches consumed and dropped;
// - pipeline: runPipeline (parse → shape → validate → split → lineage → Parquet, zstd) with the
//   parsers' default contracts, into a temp staging dir.
// The validate stage costs pipeline − parse seconds; target (issue 3): no more than parse.
// Rates come from CPU time (process.cpuUsage: every thread, DuckDB's included), as bench/parse.ts
// does, because wall-clock on a shared 2-core machine mostly measures the neighbours; wall-clock
// figures are reported beside them.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultContractFor } from '../lib/contracts/default-contract';
import { fixParser } from '../lib/fix/index';
import { runPipeline } from '../worker/run-pipeline';
import { writeOrderEventFixFile } from './validate-fix-file';
import { timed } from './timed';

export interface ValidateBenchResult {
  messages: number;
  bytes: number;
  /** Rates from CPU time of this process (all threads, DuckDB's included): robust on a shared machine. */
  ceiling_msgs_per_s: number;
  parse_msgs_per_s: number;
  pipeline_msgs_per_s: number;
  /** pipeline − parse, CPU seconds */
  validate_stage_seconds: number;
  parse_seconds: number;
  pipeline_seconds: number;
  /** validate stage / parse; target ≤ 1 */
  stage_to_parse_ratio: number;
  /** pipeline rate / ceiling rate */
  pipeline_to_ceiling_ratio: number;
  /** The same figures from wall-clock time. */
  wall: { ceiling_msgs_per_s: number; parse_msgs_per_s: number; pipeline_msgs_per_s: number; stage_to_parse_ratio: number };
  valid_rows: Record<string, number>;
  parquet_mb: number;
  peak_rss_mb: number;
}

const CHUNK = 1 << 20;

/** read + split into fields, counting messages at CheckSum (10) fields. */
async function readAndSplit(file: string): Promise<number> {
  let messages = 0;
  let tag = 0;
  let inTag = true;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (inTag) {
        if (b === 0x3d) inTag = false;
        else if (b >= 48 && b <= 57) tag = tag * 10 + (b - 48);
        else tag = 0;
      } else if (b === 1) {
        if (tag === 10) messages++;
        tag = 0;
        inTag = true;
      }
    }
  }
  return messages;
}

async function parseOnly(file: string): Promise<number> {
  const gen = fixParser.parse(createReadStream(file, { highWaterMark: CHUNK }));
  let r = await gen.next();
  while (!r.done) r = await gen.next();
  return r.value.messages;
}

function dirBytes(dir: string, files: string[]): number {
  return files.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
}

export async function benchValidate(opts: { messages: number; json: boolean }): Promise<ValidateBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-validate-'));
  const log = (s: string) => {
    if (!opts.json) console.log(s);
  };
  try {
    const file = path.join(dir, 'orders.fix');
    const tg = performance.now();
    await writeOrderEventFixFile(file, opts.messages);
    const bytes = statSync(file).size;
    log(`generated ${opts.messages.toLocaleString('en-US')} order-event messages, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - tg) / 1000).toFixed(1)} s`);

    const split = await timed(() => readAndSplit(file));
    const parsed = await timed(() => parseOnly(file));
    const contracts = Object.fromEntries(fixParser.outputs.map((o) => [o.name, defaultContractFor(fixParser, o.name)]));
    const stagingDir = path.join(dir, 'staging');
    const run = await timed(() =>
      runPipeline({ filePath: file, parserId: 'fix', parser: fixParser, contracts, jobId: '00000000-0000-4000-8000-000000000000', stagingDir }),
    );
    const result = run.value;
    if (split.value !== opts.messages || parsed.value !== opts.messages) {
      throw new Error(`bench: expected ${opts.messages} messages, split ${split.value}, parsed ${parsed.value}`);
    }
    if (result.status === 'FAILED') throw new Error(`bench: the pipeline run FAILED: ${JSON.stringify(result.outputs)}`);
    const files = Object.values(result.outputs).flatMap((o) => o.files);
    const rate = (sec: number) => Math.round(opts.messages / sec);
    const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
    const out: ValidateBenchResult = {
      messages: opts.messages,
      bytes,
      ceiling_msgs_per_s: rate(split.cpuSec),
      parse_msgs_per_s: rate(parsed.cpuSec),
      pipeline_msgs_per_s: rate(run.cpuSec),
      validate_stage_seconds: Number((run.cpuSec - parsed.cpuSec).toFixed(3)),
      parse_seconds: Number(parsed.cpuSec.toFixed(3)),
      pipeline_seconds: Number(run.cpuSec.toFixed(3)),
      stage_to_parse_ratio: ratio(run.cpuSec - parsed.cpuSec, parsed.cpuSec),
      pipeline_to_ceiling_ratio: ratio(split.cpuSec, run.cpuSec),
      wall: {
        ceiling_msgs_per_s: rate(split.wallSec),
        parse_msgs_per_s: rate(parsed.wallSec),
        pipeline_msgs_per_s: rate(run.wallSec),
        stage_to_parse_ratio: ratio(run.wallSec - parsed.wallSec, parsed.wallSec),
      },
      valid_rows: Object.fromEntries(Object.entries(result.outputs).map(([k, o]) => [k, o.rows])),
      parquet_mb: Number((dirBytes(stagingDir, files) / 1e6).toFixed(1)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    const n = (x: number) => x.toLocaleString('en-US');
    log(`(CPU time of all threads; wall-clock in brackets)`);
    log(`read + split into fields (ceiling):            ${n(out.ceiling_msgs_per_s)} messages/s [${n(out.wall.ceiling_msgs_per_s)}]`);
    log(`parse:                                         ${n(out.parse_msgs_per_s)} messages/s [${n(out.wall.parse_msgs_per_s)}] (${out.parse_seconds} s)`);
    log(`parse + validate + split + lineage + Parquet:  ${n(out.pipeline_msgs_per_s)} messages/s [${n(out.wall.pipeline_msgs_per_s)}] (${out.pipeline_seconds} s)`);
    log(`validate stage: ${out.validate_stage_seconds} s = ${out.stage_to_parse_ratio} × parse [${out.wall.stage_to_parse_ratio}] (target ≤ 1)`);
    log(`valid rows: ${JSON.stringify(out.valid_rows)}; Parquet ${out.parquet_mb} MB; peak RSS ${out.peak_rss_mb} MB`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
