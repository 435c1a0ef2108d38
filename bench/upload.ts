// `npm run bench -- upload [--quick] [--json]` (issue 9: "a 300 MB upload streams to disk at
// ≥ 200 MB/s"): a generated FIX file of at least 300 MB (30 MB with --quick) uploaded through
// POST /api/uploads of the production server (`next start`, bench/end-to-end.ts's helpers), after
// one warm-up request, three times. Upload time = request start → 201 response, i.e. the body
// streamed, hashed, written, fsynced and renamed, the upload recorded and its job enqueued.
// The first upload's job runs on the one worker while the second and third stream (the same
// bytes: content-addressed, so no further job); those two are the figure under load.
import { statSync } from 'node:fs';
import path from 'node:path';
import { generateDataset } from '../lib/demo/generate-dataset';
import { Client, prepareDataDir, withBenchSandbox } from './end-to-end';

export interface BenchUploadOptions {
  /** Smallest file size to upload, in bytes (default 300 MB). */
  minBytes?: number;
  json: boolean;
}

export interface BenchUploadResult {
  file_mb: number;
  /** MB/s of each upload, in order (the first with no job running). */
  uploads_mb_per_s: number[];
  upload_mb_per_s: number;
  note: string;
}

/** Orders the demo generator needs for ≈ `bytes` of FIX (≈ 1,390 bytes per order). */
const BYTES_PER_ORDER = 1390;

export async function benchUpload(opts: BenchUploadOptions): Promise<BenchUploadResult> {
  const minBytes = opts.minBytes ?? 300e6;
  const log = (s: string) => {
    if (!opts.json) console.log(s);
  };
  return withBenchSandbox('workbench-bench-upload-', async ({ tmp, start }) => {
    let orders = Math.ceil(minBytes / BYTES_PER_ORDER);
    let ds = await generateDataset({ orders, seed: 20240102, outDir: path.join(tmp, 'gen') });
    while (statSync(ds.fixPath).size < minBytes) {
      orders = Math.ceil(orders * 1.05);
      ds = await generateDataset({ orders, seed: 20240102, outDir: path.join(tmp, 'gen') });
    }
    const bytes = statSync(ds.fixPath).size;
    log(`generated ${(bytes / 1e6).toFixed(1)} MB of FIX (${orders.toLocaleString('en-US')} orders)`);
    const dataDir = path.join(tmp, 'data');
    await prepareDataDir(dataDir);
    const server = await start(dataDir, 1, log);
    const client = new Client(server.base);
    await client.login();
    await client.warmUpUploads();
    const rates: number[] = [];
    for (let i = 0; i < 3; i++) {
      const up = await client.upload('fix', ds.fixPath);
      if (up.body.size_bytes !== bytes) throw new Error(`upload stored ${up.body.size_bytes} bytes of ${bytes}`);
      rates.push(Math.round(bytes / 1e6 / up.seconds));
      log(`upload ${i + 1}: ${(bytes / 1e6).toFixed(1)} MB in ${up.seconds.toFixed(2)} s = ${rates[i]} MB/s${i > 0 ? ' (the first upload\'s job running beside it)' : ''}`);
    }
    return {
      file_mb: Math.round(bytes / 1e5) / 10,
      uploads_mb_per_s: rates,
      upload_mb_per_s: rates[0],
      note: 'HTTP client in the benchmark process (fetch, streamed from disk) on the same machine; upload_mb_per_s = the first upload, no job running',
    };
  });
}
