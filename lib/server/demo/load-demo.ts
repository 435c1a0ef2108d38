// The demo, on the first start of a demo-mode server (WORKBENCH_DEMO unset or not '0'):
// seed the parsers' default contracts (proposed by `author`, approved by `reviewer`), generate
// the demo dataset into DATA_DIR/demo, store its FIX log and confirmations file as uploads by
// `ops`, and enqueue their jobs. A marker row records that it was done, so a restart does not
// load it again. Every step is idempotent (approved contracts are kept, identical bytes link to
// the earlier upload and its jobs), so a crash half-way is repaired by the next start.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { dataDir as defaultDataDir, getDb, type Db } from '../../../db/open';
import { hasMarker, setMarker } from '../../../db/jobs/app-markers';
import { generateDataset } from '../../demo/generate-dataset';
import { appendAudit } from '../audit/append-audit';
import { isDemoMode } from '../auth/initial-users';
import { enqueueJobsForUpload } from '../jobs/enqueue-jobs';
import { seedDefaultContracts } from '../jobs/seed-default-contracts';
import { recordUpload } from '../uploads/record-upload';
import type { UploadKind } from '../uploads/sniff-content';
import { storeUploadStream } from '../uploads/store-upload-stream';
import { uploadLimits } from '../uploads/upload-limits';

export const DEMO_MARKER = 'demo_loaded';
const DEMO_ACTOR = 'ops';

export interface DemoOptions {
  db?: Db;
  dataDir?: string;
  /** WORKBENCH_DEMO_ORDERS, default 500 (first start stays quick; larger sets via `npm run generate` and upload). */
  orders?: number;
  /** WORKBENCH_DEMO_SEED, default 20240102. */
  seed?: number;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface DemoLoad {
  loaded: boolean;
  uploadIds: string[];
  jobIds: string[];
}

function positiveInt(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

async function storeAsUpload(db: Db, dataDir: string, file: string, kind: UploadKind, name: string) {
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  const stored = await storeUploadStream(body, { uploadsDir: path.join(dataDir, 'uploads'), kind, nameSaysGzip: false, limits: uploadLimits() });
  const recorded = await recordUpload(db, { stored, kind, originalName: name, actor: DEMO_ACTOR });
  const jobIds = await enqueueJobsForUpload(db, {
    uploadId: recorded.canonicalUploadId,
    sha256: stored.sha256,
    kind,
    path: stored.path,
    actor: DEMO_ACTOR,
    name,
    bytes: stored.sizeBytes,
  });
  return { uploadId: recorded.uploadId, jobIds };
}

async function loadDemo(opts: DemoOptions): Promise<DemoLoad> {
  const env = opts.env ?? process.env;
  if (!isDemoMode(env)) return { loaded: false, uploadIds: [], jobIds: [] };
  const db = opts.db ?? (await getDb());
  if (await hasMarker(db, DEMO_MARKER)) return { loaded: false, uploadIds: [], jobIds: [] };
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  const orders = opts.orders ?? positiveInt(env.WORKBENCH_DEMO_ORDERS, 500);
  const seed = opts.seed ?? positiveInt(env.WORKBENCH_DEMO_SEED, 20240102);

  await seedDefaultContracts(db, { author: 'author', reviewer: 'reviewer' });
  const dataset = await generateDataset({ orders, seed, outDir: path.join(dataDir, 'demo') });
  const fix = await storeAsUpload(db, dataDir, dataset.fixPath, 'fix', 'demo-fix.log');
  const confirmations = await storeAsUpload(db, dataDir, dataset.confirmationsPath, 'confirmations', 'demo-confirmations.csv');
  const result = { uploadIds: [fix.uploadId, confirmations.uploadId], jobIds: [...fix.jobIds, ...confirmations.jobIds] };
  const first = await db.transaction(async (tx) => {
    if (!(await setMarker(tx, DEMO_MARKER, { orders, seed, ...result }))) return false;
    await appendAudit(tx, { actor: 'system', action: 'demo.loaded', subject: 'demo', details: { orders, seed, ...result } });
    return true;
  });
  return { loaded: first, ...result };
}

type GlobalWithDemo = typeof globalThis & { __workbenchDemoLoad?: Promise<DemoLoad> };

/** Loads the demo once per data directory (marker row) and once per process (kept on globalThis). */
export function loadDemoIfFirstStart(opts: DemoOptions = {}): Promise<DemoLoad> {
  if (opts.db) return loadDemo(opts);
  const g = globalThis as GlobalWithDemo;
  if (!g.__workbenchDemoLoad) {
    const loading = loadDemo(opts);
    g.__workbenchDemoLoad = loading;
    loading.catch((e: unknown) => {
      console.error('demo: loading the demo data failed (it is retried at the next start):', e);
      if (g.__workbenchDemoLoad === loading) g.__workbenchDemoLoad = undefined;
    });
  }
  return g.__workbenchDemoLoad;
}
