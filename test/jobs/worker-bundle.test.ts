// The prebuilt worker bundle (lib/server/jobs/worker-bundle.ts, scripts/build-worker-bundle.ts):
// real workers started from it give the same jobs as workers started from the sources (same
// result_hash, rows, quarantine and metrics counts), over a FIX log split into two byte ranges
// and a confirmations file whose quoted records go through csv-parse (a CommonJS package inside
// the ES module bundle); and a bundle is used only while the files it was built from are unchanged.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobOutputs } from '../../db/jobs/promotion-queries';
import { CONFIRMATION_COLUMNS } from '../../lib/demo/plan-types';
import { createDispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { freshWorkerBundle, WORKER_BUNDLE_FILE, WORKER_BUNDLE_INPUTS, type WorkerBundleInputs } from '../../lib/server/jobs/worker-bundle';
import { workbenchRoot } from '../../lib/parsers/logic-hash';
import { buildWorkerBundle } from '../../scripts/build-worker-bundle';
import { buildFixLog } from './fix-fixture';
import { isFinal, openJobsEnv, uploadFile, waitForJob } from './job-harness';

const HEADER = CONFIRMATION_COLUMNS.join(',');

/** Plain records, then quoted ones (csv-parse reads from the first quote on), then one bad quantity. */
function confirmationsCsv(): string {
  const lines = [HEADER];
  for (let i = 1; i <= 20; i++) lines.push(`EX${i},ORD${i},OID${i},AAPL,BUY,${i}00.5,101.25,USD,2024-01-02,2024-01-03,2024-01-02T10:00:00Z,ACC1,BRKA`);
  for (let i = 21; i <= 30; i++) lines.push(`"EX${i}","ORD${i}",OID${i},"MSFT, Inc",SELL,${i}.125,"99.5",USD,2024-01-02,,2024-01-02T10:05:00Z,ACC2,"BR ""K"""`);
  lines.push(`BAD1,ORDB1,OIDB1,MSFT,SELL,abc,300.125,USD,2024-01-02,,2024-01-02T10:06:00Z,ACC1,BRKA`);
  return lines.join('\n') + '\n';
}

interface JobSnapshot {
  status: string;
  outputs: { output: string; status: string; rows: number; quarantine_rows: number; result_hash: string | null }[];
  counts: unknown;
  workers: { bundled: unknown; startup_ms: unknown }[];
}

async function runJobs(bundleDir: string | null): Promise<JobSnapshot[]> {
  const env = await openJobsEnv();
  try {
    await seedDefaultContracts(env.db);
    const dispatcher = await createDispatcher({
      db: env.db, dataDir: env.dataDir, concurrency: 2, rangeWorkers: 2, rangeMinBytes: 1,
      pollMs: 100, retryBaseMs: 50, breakDetection: false, workerBundleDir: bundleDir,
    });
    await dispatcher.start();
    try {
      const uploads = [
        await uploadFile(env, buildFixLog({ orders: 40, badPriceEvery: 7 }), { kind: 'fix', filename: 'orders.fix' }),
        await uploadFile(env, confirmationsCsv(), { kind: 'confirmations', filename: 'confirms.csv' }),
      ];
      const out: JobSnapshot[] = [];
      for (const upload of uploads) {
        const job = await waitForJob(env.db, upload.job_ids[0], isFinal, 120_000);
        expect(job.error_code, job.error_message ?? '').toBeNull();
        const m = (job.metrics ?? {}) as Record<string, unknown>;
        out.push({
          status: job.status,
          outputs: (await listJobOutputs(env.db, job.id))
            .filter((o) => o.kind === 'data')
            .map((o) => ({ output: o.output, status: o.status, rows: o.rows, quarantine_rows: o.quarantine_rows, result_hash: o.result_hash }))
            .sort((a, b) => a.output.localeCompare(b.output)),
          counts: { rows: m.rows, quarantine_rows: m.quarantine_rows, parse_errors: m.parse_errors, messages: m.messages, bytes: m.bytes },
          workers: ((m.workers ?? []) as { bundled?: unknown; startup_ms?: unknown }[]).map((w) => ({ bundled: w.bundled, startup_ms: w.startup_ms })),
        });
      }
      return out;
    } finally {
      await dispatcher.stop();
    }
  } finally {
    await env.cleanup();
  }
}

describe('workers started from the prebuilt bundle', () => {
  const root = workbenchRoot();
  let dir: string;
  let inputs: WorkerBundleInputs;

  beforeAll(async () => {
    // Inside the repository, as the real one (.next/workbench-worker): the bundle imports DuckDB's
    // packages from node_modules, which Node finds from the bundle's own directory.
    mkdirSync(path.join(root, '.next'), { recursive: true });
    dir = mkdtempSync(path.join(root, '.next', 'test-worker-bundle-'));
    inputs = await buildWorkerBundle(dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the sources it was built from', () => {
    expect(inputs.files).toContain('worker/main.ts');
    expect(inputs.files).toContain('lib/fix/fix-scanner.ts');
    expect(inputs.files.every((f) => !f.includes('node_modules'))).toBe(true);
    expect(freshWorkerBundle(dir, root)).toBe(path.join(dir, WORKER_BUNDLE_FILE));
  });

  it('gives the same jobs as workers started from the sources', async () => {
    const fromSources = await runJobs(null);
    const fromBundle = await runJobs(dir);
    expect(fromSources.map((j) => j.workers.map((w) => w.bundled))).toEqual([[false, false], [false]]);
    expect(fromBundle.map((j) => j.workers.map((w) => w.bundled))).toEqual([[true, true], [true]]);
    for (const w of fromBundle.flatMap((j) => j.workers)) expect(w.startup_ms).toBeGreaterThan(0);
    const strip = (jobs: JobSnapshot[]) => jobs.map(({ workers: _w, ...rest }) => rest);
    expect(strip(fromBundle)).toEqual(strip(fromSources));
    // The fixture exercises what it claims: quarantined rows in both files, hashes present.
    expect(fromSources[0].outputs.find((o) => o.output === 'fix_order_events')?.quarantine_rows).toBeGreaterThan(0);
    expect(fromSources[1].outputs[0]).toMatchObject({ output: 'confirmations', rows: 30, quarantine_rows: 1 });
    expect(fromSources.flatMap((j) => j.outputs).every((o) => o.rows === 0 || typeof o.result_hash === 'string')).toBe(true);
  });

  it('is not used once a file it was built from differs, or its record is missing or does not read', () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'workbench-worker-bundle-copy-'));
    try {
      copyFileSync(path.join(dir, WORKER_BUNDLE_FILE), path.join(copy, WORKER_BUNDLE_FILE));
      const record = path.join(copy, WORKER_BUNDLE_INPUTS);
      const write = (r: unknown) => writeFileSync(record, typeof r === 'string' ? r : JSON.stringify(r));
      const built = JSON.parse(readFileSync(path.join(dir, WORKER_BUNDLE_INPUTS), 'utf8')) as WorkerBundleInputs;
      write(built);
      expect(freshWorkerBundle(copy, root)).toBe(path.join(copy, WORKER_BUNDLE_FILE));
      // A source whose content is not the one built from: the digest no longer matches.
      write({ ...built, digest: built.digest.replace(/^./, (c) => (c === '0' ? '1' : '0')) });
      expect(freshWorkerBundle(copy, root)).toBeNull();
      // A source that is gone.
      write({ ...built, files: [...built.files, 'lib/no-such-file.ts'] });
      expect(freshWorkerBundle(copy, root)).toBeNull();
      // A path outside the repository is never read.
      write({ ...built, files: ['../outside.ts'] });
      expect(freshWorkerBundle(copy, root)).toBeNull();
      write('{ not json');
      expect(freshWorkerBundle(copy, root)).toBeNull();
      rmSync(record);
      expect(freshWorkerBundle(copy, root)).toBeNull();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
