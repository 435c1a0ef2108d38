// Backtests: one contract version against every uploaded file its parser reads, failing files
// first (the latest job FAILED, then never run, then passed; newest upload first within each),
// one file at a time in this server process. A run's state lives in memory (on globalThis, so
// route handlers of one process share it) and is polled by id; stop() ends it between batches.
// Runs are not persisted: a restart forgets them (they store nothing either).
import { randomUUID } from 'node:crypto';
import { dataDir as defaultDataDir, type Db } from '../../../db/open';
import { listBenchUploads, uploadFilePath, type BenchUpload } from './bench-uploads';
import { loadContractUnderTest, testFileAgainstContract, type ContractUnderTest, type FileTestResult } from './test-file-against-contract';

export type BacktestStatus = 'running' | 'stopped' | 'done' | 'failed';

export interface BacktestFileResult {
  upload_id: string;
  original_name: string;
  history: BenchUpload['history'];
  /** pass: the output would be SUCCESS or PARTIAL_SUCCESS under the contract; error: the file could not be read */
  outcome: 'pass' | 'fail' | 'error';
  result: FileTestResult | null;
  error: string | null;
}

export interface BacktestFile {
  upload_id: string;
  original_name: string;
  history: BenchUpload['history'];
}

export interface BacktestState {
  id: string;
  contract: { contract_id: string; version: number; parser_id: string; output: string };
  started_by: string;
  started_at: string;
  finished_at: string | null;
  status: BacktestStatus;
  /** Files in the order they are (or will be) tested. */
  files: BacktestFile[];
  total: number;
  done: number;
  current: string | null;
  results: BacktestFileResult[];
  stop_requested: boolean;
  error: string | null;
  max_rows: number;
}

const HISTORY_ORDER: Record<BenchUpload['history'], number> = { failed: 0, never_run: 1, passed: 2 };
/** Finished runs kept in memory at most (oldest dropped first). */
const KEEP_RUNS = 50;

interface Registry {
  runs: Map<string, BacktestState>;
}
const KEY = Symbol.for('workbench.benchBacktests');
function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (g[KEY] ??= { runs: new Map() });
}

/** Failed first, then never run, then passed; stable (the input's newest-first order) within a group. */
export function orderForBacktest<T extends { history: BenchUpload['history'] }>(uploads: readonly T[]): T[] {
  return uploads
    .map((u, i) => ({ u, i }))
    .sort((a, b) => HISTORY_ORDER[a.u.history] - HISTORY_ORDER[b.u.history] || a.i - b.i)
    .map((x) => x.u);
}

function prune(): void {
  const runs = registry().runs;
  const finished = [...runs.values()].filter((r) => r.status !== 'running');
  for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_RUNS))) runs.delete(r.id);
}

function snapshot(s: BacktestState): BacktestState {
  return { ...s, files: [...s.files], results: [...s.results] };
}

export async function startBacktest(
  db: Db,
  req: { contractId: string; version: number; maxRows: number; actor: string; dataDir?: string },
): Promise<BacktestState> {
  const target = await loadContractUnderTest(db, req.contractId, req.version);
  const uploads = orderForBacktest(await listBenchUploads(db, target.parser.id));
  const state: BacktestState = {
    id: randomUUID(),
    contract: { contract_id: target.contract_id, version: target.version, parser_id: target.parser.id, output: target.output },
    started_by: req.actor,
    started_at: new Date().toISOString(),
    finished_at: null,
    status: 'running',
    files: uploads.map((u) => ({ upload_id: u.id, original_name: u.original_name, history: u.history })),
    total: uploads.length,
    done: 0,
    current: null,
    results: [],
    stop_requested: false,
    error: null,
    max_rows: req.maxRows,
  };
  prune();
  registry().runs.set(state.id, state);
  // Runs after the caller has its answer; errors end the run as failed, never the process.
  setImmediate(() => {
    void runBacktest(state, target, uploads, req.dataDir ?? defaultDataDir()).catch((e: unknown) => {
      state.status = 'failed';
      state.error = e instanceof Error ? e.message : String(e);
      state.finished_at = new Date().toISOString();
      state.current = null;
    });
  });
  return snapshot(state);
}

async function runBacktest(state: BacktestState, target: ContractUnderTest, uploads: readonly BenchUpload[], dataDir: string): Promise<void> {
  for (const u of uploads) {
    if (state.stop_requested) break;
    state.current = u.id;
    let result: BacktestFileResult;
    try {
      const r = await testFileAgainstContract(target, uploadFilePath(dataDir, u.sha256), u, { maxRows: state.max_rows, shouldStop: () => state.stop_requested });
      if (r.stopped) break; // a file cut short by stop is not a result
      result = { upload_id: u.id, original_name: u.original_name, history: u.history, outcome: r.status === 'FAILED' ? 'fail' : 'pass', result: r, error: null };
    } catch (e) {
      result = { upload_id: u.id, original_name: u.original_name, history: u.history, outcome: 'error', result: null, error: e instanceof Error ? e.message : String(e) };
    }
    state.results.push(result);
    state.done++;
  }
  state.current = null;
  state.status = state.stop_requested && state.done < state.total ? 'stopped' : 'done';
  state.finished_at = new Date().toISOString();
}

export function getBacktest(id: string): BacktestState | null {
  const s = registry().runs.get(id);
  return s ? snapshot(s) : null;
}

/** Asks a running backtest to stop (it stops between batches); null when there is no such run. */
export function stopBacktest(id: string): BacktestState | null {
  const s = registry().runs.get(id);
  if (!s) return null;
  if (s.status === 'running') s.stop_requested = true;
  return snapshot(s);
}

export function listBacktests(): BacktestState[] {
  return [...registry().runs.values()].map(snapshot).reverse();
}
