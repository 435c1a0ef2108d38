// `npm run bench [-- <parse|validate|breaks|end-to-end|upload|compare|worker-memory>] [--messages N] [--quick] [--json]`: the benchmark suite
// (issue 9). Each stage generates its data in a temp dir and measures against the parse
// ceiling from the same run. --quick runs 100k messages; the default is 1M. --json prints one
// document (the per-stage results plus the summary keys of issue 9 that these stages provide).
//
// Each stage's module is imported only when that stage runs: a stage measured alone then shares
// its process with no other stage's code (fixparser's bundle, for one, halved our parser's speed
// when it was loaded first; see docs/performance.md).

const STAGES = ['parse', 'validate', 'breaks', 'end-to-end', 'upload', 'compare', 'worker-memory'] as const;
type Stage = (typeof STAGES)[number];
/** Run by a plain `npm run bench`; 'upload' and 'compare' (fixparser@2.9.5) run only when named. */
const DEFAULT_STAGES: readonly Stage[] = ['parse', 'validate', 'breaks', 'end-to-end'];

interface BenchArgs {
  stages: Stage[];
  messages: number;
  json: boolean;
  /** --quick: 100k messages; the upload stage uploads 30 MB instead of 300 MB. */
  quick: boolean;
}

function parseArgs(argv: readonly string[]): BenchArgs {
  const stages: Stage[] = [];
  let messages = 1_000_000;
  let json = false;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--quick') {
      messages = 100_000;
      quick = true;
    }
    else if (a === '--messages' || a.startsWith('--messages=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const n = Number(String(v).replaceAll('_', ''));
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--messages needs a positive integer, got ${v}`);
      messages = n;
    } else if ((STAGES as readonly string[]).includes(a)) stages.push(a as Stage);
    else throw new Error(`unknown argument ${a} (stages: ${STAGES.join(', ')}; options: --messages N, --quick, --json)`);
  }
  return { stages: stages.length > 0 ? stages : [...DEFAULT_STAGES], messages, json, quick };
}

async function quiet<T>(silence: boolean, fn: () => Promise<T>): Promise<T> {
  if (!silence) return fn();
  const log = console.log;
  console.log = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  const doc: Record<string, unknown> = { messages: args.messages, workers: 1 };
  let e2ePeaks: { server: number | null; workers: (number | null)[] } | null = null;
  let breaksPeaks: { breaks_staging: number; breaks_database: number } | null = null;
  for (const stage of args.stages) {
    const size = stage === 'upload' ? (args.quick ? '30 MB' : '300 MB') : `${args.messages.toLocaleString('en-US')} messages`;
    if (!args.json) console.log(`\n== ${stage} (${size})`);
    if (stage === 'parse') {
      // benchParse prints its own line (text or JSON); in --json mode only our document is printed.
      const { benchParse } = await import('./parse');
      const r = await quiet(args.json, () => benchParse({ messages: args.messages, json: false }));
      doc.parse = r;
      doc.ceiling_msgs_per_s ??= r.ceilingMessagesPerSec;
      doc.parse_msgs_per_s ??= r.fullParseMessagesPerSec;
    } else if (stage === 'compare') {
      const { benchFixparserCompare } = await import('./fixparser-compare');
      doc.fixparser_compare = await benchFixparserCompare({ messages: args.messages, json: args.json });
    } else if (stage === 'end-to-end') {
      // The real server and its worker processes over HTTP (bench/end-to-end.ts).
      const { benchEndToEnd } = await import('./end-to-end');
      const r = await benchEndToEnd({ messages: args.messages, json: args.json });
      doc.end_to_end = r;
      doc.end_to_end_msgs_per_s = r.end_to_end_msgs_per_s;
      doc.workers = r.workers;
      doc.end_to_end_ratio = r.end_to_end_ratio;
      doc.upload_mb_per_s = r.upload_mb_per_s;
      doc.ceiling_msgs_per_s ??= r.ceiling_msgs_per_s;
      // HTTP latency from this run; the breaks stage's (service calls, no HTTP) stays under breaks.
      doc.breaks_page_p95_ms ??= r.breaks_page_p95_ms;
      doc.drilldown_p95_ms ??= r.drilldown_p95_ms;
      e2ePeaks = { server: r.peak_rss_mb.server, workers: r.peak_rss_mb.workers };
    } else if (stage === 'upload') {
      // A 300 MB upload through the real server (bench/upload.ts); --messages does not apply.
      const { benchUpload } = await import('./upload');
      const r = await benchUpload({ json: args.json, ...(args.quick ? { minBytes: 30e6 } : {}) });
      doc.upload = r;
      doc.upload_300mb_mb_per_s = r.upload_mb_per_s;
    } else if (stage === 'worker-memory') {
      // One FIX byte-range worker's peak RSS and the Parquet engine's share of it (bench/worker-memory.ts).
      const { benchWorkerMemory } = await import('./worker-memory');
      doc.worker_memory = await benchWorkerMemory({ messages: args.messages, json: args.json });
    } else if (stage === 'breaks') {
      const { benchBreaks } = await import('./breaks');
      const r = await benchBreaks({ messages: args.messages, json: args.json });
      doc.breaks = r;
      doc.breaks_page_p95_ms = r.breaks_page_p95_ms;
      doc.drilldown_p95_ms = r.drilldown_p95_ms;
      // The breaks stage stages its data in a child process; this process holds the database.
      breaksPeaks = { breaks_staging: r.peak_rss_mb.staging, breaks_database: r.peak_rss_mb.server };
    } else {
      const { benchValidate } = await import('./validate');
      const r = await benchValidate({ messages: args.messages, json: args.json });
      doc.validate = r;
      doc.ceiling_msgs_per_s ??= r.ceiling_msgs_per_s;
      doc.parse_msgs_per_s ??= r.parse_msgs_per_s;
      doc.pipeline_msgs_per_s = r.pipeline_msgs_per_s;
    }
  }
  // Per process: this benchmark process, the breaks stage's staging child, and (end-to-end) the
  // server and each worker.
  doc.peak_rss_mb = { bench: Math.round(process.resourceUsage().maxRSS / 1024), ...(breaksPeaks ?? {}), ...(e2ePeaks ?? {}) };
  if (args.json) console.log(JSON.stringify(doc, null, 2));
  return 0;
}

export {};

process.exitCode = await main();
