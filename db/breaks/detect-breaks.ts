import { DateTime } from 'luxon';
import {
  resolveBreakConfig,
  toBreakRecord,
  type BreakConfigOverride,
  detectionPlan,
  type BreakFamily,
  type DetectionStep,
  type HolidayCalendar,
} from '../../lib/breaks';
import type { Db } from '../open';
import { tableExists } from './breaks-db';
import {
  buildChainSummary, buildChains, buildEvents, buildFills, buildScope, countOf, dropTempTables, orderStateAfterPass, persistOrderState, stageOrderState,
} from './build-order-state';
import type { CandidateRow } from './candidate-row';
import { counterpartyCandidates, writeCounterpartyMatches } from './counterparty-candidates';
import { lifecycleCandidates } from './lifecycle-candidates';
import { loadHolidayCalendar } from './load-holiday-calendar';
import { prewarmDrillDownTables, type PrewarmResult } from './prewarm-drill-down-tables';
import { SEQUENCE_TEMP_TABLES, sequenceCandidates } from './sequence-candidates';
import { createSourceViews } from './source-views';
import { BREAK_STAGE_CHUNK, BreakStage, type WriteResult } from './write-breaks';

// Break detection over the warehouse tables (fix_order_events, fix_session_events,
// confirmations), written in one transaction. With jobIds, only the sessions those jobs touched are
// recomputed (chains are per session and linking needs the whole session); counterparty matching
// is always recomputed whole (see counterparty-candidates.ts). Without jobIds, everything.

export interface DetectBreaksOptions {
  /** Promoted jobs whose rows changed; omitted = recompute everything. */
  jobIds?: string[];
  /** Date the age of breaks is measured to (ISO); default today (UTC). */
  asOf?: string;
  config?: BreakConfigOverride;
  /** Default: loadHolidayCalendar(). */
  calendar?: HolidayCalendar;
  /** Called after each step with its wall time (benchmarks, diagnostics). */
  onStep?: (step: string, ms: number) => void;
  /**
   * Called as each step starts, with the steps this pass runs (null for 'lock': they depend on
   * the tables, read once the lock is held). The job page shows it (break-detection-queue.ts).
   * It must not throw: an error from it is logged and the pass goes on.
   */
  onStepStart?: (step: DetectionStep, plan: readonly DetectionStep[] | null) => void;
  /** Chains summarised per statement (default CHAINS_PER_SUMMARY_RANGE; tests use small values). */
  chainsPerSummaryRange?: number;
  /** Block size (2^bits) of the sequence step's running counts (default SEQUENCE_BLOCK_BITS; tests use small values). */
  sequenceBlockBits?: number;
}

/** The step of detectBreaks an error was thrown in ('chains', 'persist', …), if it came from one. */
export function detectionStepOf(e: unknown): string | null {
  const step = e instanceof Error ? (e as Error & { detectionStep?: unknown }).detectionStep : undefined;
  return typeof step === 'string' ? step : null;
}

export interface DetectBreaksResult extends WriteResult {
  sessions: number;
  chains: number;
  fills: number;
  /** Breaks found by this run (open or not), per class. */
  byClass: Record<string, number>;
  found: number;
  /** The drill-down tables read back into the page cache after the pass (null: in memory, or it failed). */
  prewarm: PrewarmResult | null;
  /**
   * Wall time of each step (ms), in the order they ran: 'lock' (the wait for the database's
   * writer), the steps of onStep, 'commit' (the transaction's end), 'cleanup' (its temp tables
   * dropped), 'checkpoint' and 'prewarm'. Recorded on the jobs of a server's pass
   * (breaks_steps_ms), where it can differ from a pass run alone.
   */
  stepsMs: Record<string, number>;
}

const TEMP_TABLES = [
  '_bk_scope', '_bk_files', '_bk_latest', '_bk_filerank', '_bk_ev', '_bk_edge', '_bk_node', '_bk_node_next', '_bk_oid', '_bk_lab', '_bk_root', '_bk_first', '_bk_mk', '_bk_origin', '_bk_m', '_bk_acts', '_bk_act', '_bk_fill', '_bk_ofn', '_bk_mem',
  '_bk_fsum', '_bk_chain', '_bk_lc', '_bk_ev_want', '_bk_ev_found', '_bk_sess_d', '_bk_cf', '_bk_cf_chain', '_bk_of', '_bk_of_u', '_bk_cf_u', '_bk_match', '_bk_mf', '_bk_mj', '_bk_diff', '_bk_new', '_bk_write',
  ...SEQUENCE_TEMP_TABLES,
];

export async function detectBreaks(db: Db, opts: DetectBreaksOptions = {}): Promise<DetectBreaksResult> {
  const resolved = resolveBreakConfig(opts.config);
  if (!resolved.ok) throw new Error(`breaks.bad_config: ${resolved.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const config = resolved.config;
  const calendar = opts.calendar ?? loadHolidayCalendar();
  const asOf = opts.asOf ?? DateTime.utc().toISODate()!;
  const jobIds = opts.jobIds ?? null;
  const runLabel = jobIds ? `jobs ${jobIds.join(', ')}` : 'full run';
  const stepsMs: Record<string, number> = {};
  let last = Date.now();
  const lap = (name: string): void => {
    const now = Date.now();
    stepsMs[name] = now - last;
    opts.onStep?.(name, now - last);
    last = now;
  };
  let plan: readonly DetectionStep[] | null = null;
  let started: DetectionStep | null = null;
  const begin = (name: DetectionStep): void => {
    started = name;
    try {
      opts.onStepStart?.(name, plan);
    } catch (e) {
      // What shows a pass's progress never fails the pass.
      console.error(`break detection: onStepStart(${name}) threw:`, e);
    }
  };

  // The pass holds one connection and the write lock throughout (exclusive): no promotion or
  // other transaction changes the warehouse while it reads it, so its steps see one state of
  // the data although the temp-table steps commit one by one. They do so because DuckDB scans
  // the rows a transaction created itself on one thread: building the order state inside the
  // transaction cost 19.8–20.2 s at 1M messages against 17.2–17.8 s. The transaction covers
  // what readers see change: the derived tables, the session candidates, the matches and the
  // breaks. Everything else reads committed temp tables (and the persisted rows outside the scope).
  begin('lock');
  const result = await db.exclusive(async (held) => {
    lap('lock');
    const hasOrders = await tableExists(held, 'fix_order_events');
    const hasSessionEvents = await tableExists(held, 'fix_session_events');
    const hasConfirmations = await tableExists(held, 'confirmations');
    plan = detectionPlan({ orders: hasOrders, confirmations: hasConfirmations });
    const stage = await BreakStage.open(held);
    const byClass: Record<string, number> = {};
    let found = 0;
    // Each step's candidates become records and are staged in chunks, so that JavaScript holds
    // one step's candidate rows at a time, never every record of the run (BreakStage).
    const stageFound = async (rows: CandidateRow[]): Promise<void> => {
      for (let i = 0; i < rows.length; i += BREAK_STAGE_CHUNK) {
        const records = rows.slice(i, i + BREAK_STAGE_CHUNK).map((f) => toBreakRecord(f, { asOf, calendar, config }));
        for (const r of records) byClass[r.class] = (byClass[r.class] ?? 0) + 1;
        found += records.length;
        await stage.add(records);
      }
    };
    let sessions = 0;
    let chains = 0;
    let fills = 0;
    const step = async <T>(name: DetectionStep, fn: () => Promise<T>): Promise<T> => {
      begin(name);
      let result: T;
      try {
        result = await fn();
      } catch (e) {
        // Which step failed (detectionStepOf): at 10M messages a pass runs for minutes, and an
        // out-of-memory error says nothing of where. The error itself is kept as it is.
        throw e instanceof Error ? Object.assign(e, { detectionStep: name }) : e;
      }
      lap(name);
      return result;
    };
    try {
      if (hasOrders) {
        sessions = await step('scope', async () => {
          await createSourceViews(held, { hasSessionEvents });
          return buildScope(held, { jobIds, hasSessionEvents });
        });
        await step('events', () => buildEvents(held));
        // Sequence rules first: they read _bk_ev's sequence fields and the session events only,
        // and once the chains are linked _bk_ev is dropped (buildChains), before the wide _bk_m
        // is built. Run last, _bk_ev (every message of the scope) was held through the whole pass
        // for this step alone: 200 MB of the 1GB limit at 1M messages, past which the pass spills.
        await step('sequence', () => sequenceCandidates(held, hasSessionEvents, stageFound, opts.sequenceBlockBits));
        await step('chains', () => buildChains(held));
        await step('fills', () => buildFills(held));
        await step('summary', () => buildChainSummary(held, opts.chainsPerSummaryRange));
        // Reads the temp tables only: before the transaction, so its scans of them run in parallel.
        await step('lifecycle', () => lifecycleCandidates(held, config, stageFound));
        await step('stage', () => stageOrderState(held));
        chains = await countOf(held, '_bk_chain');
        fills = await countOf(held, '_bk_fill');
        // Staged into _bk_ofn, its last reader: freed before the counterparty step needs memory.
        await dropTempTables(held, ['_bk_fill']);
      }
      // Before the transaction too: it reads the fills and members as the pass will leave them.
      const sources = hasOrders ? orderStateAfterPass(jobIds === null) : { fills: 'order_fills', members: 'order_chain_members' };
      if (hasConfirmations) await step('counterparty', () => counterpartyCandidates(held, config, sources, stageFound));
      const passed = await held.transaction(async (tx) => {
        if (hasOrders) {
          await step('persist', () => persistOrderState(tx, jobIds === null));
          // The wide temp tables go now (at 10M messages they are gigabytes of spill files).
          await dropTempTables(tx, ['_bk_m', '_bk_origin', '_bk_chain', '_bk_sess_d', '_bk_ofn', '_bk_mem', '_bk_files', '_bk_latest', '_bk_filerank']);
        }
        if (hasConfirmations) await step('matches', () => writeCounterpartyMatches(tx));
        const sessionFamilies: BreakFamily[] = hasOrders ? ['lifecycle', 'session'] : [];
        const written = await step('write', () => stage.write({
          allOf: [...(jobIds ? [] : sessionFamilies), ...(hasConfirmations ? (['counterparty'] as const) : [])],
          scopedSessionsOf: jobIds ? sessionFamilies : [],
          runLabel,
        }));
        const out: DetectBreaksResult = { ...written, sessions, chains, fills, byClass, found, prewarm: null, stepsMs };
        begin('commit');
        return out;
      });
      lap('commit');
      return passed;
    } catch (e) {
      // What the pass runs now: the steps done, the one that failed, then its cleanup.
      if (plan) plan = [...plan.filter((s) => s in stepsMs || s === started), 'cleanup'];
      throw e;
    } finally {
      begin('cleanup');
      for (const t of TEMP_TABLES) await held.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
      for (const v of ['_bk_src_orders', '_bk_src_sessions']) await held.run(`DROP VIEW IF EXISTS ${v}`).catch(() => undefined);
      lap('cleanup');
    }
  });
  // A pass deletes and rewrites the derived tables (chains, their messages, fills) and updates
  // breaks; until a checkpoint, every scan of them also goes through that transaction's version
  // information. At 10M messages the drill-down right after a pass read p95 46–55 ms without a
  // checkpoint and 35 ms after one. Best effort: a checkpoint that fails is skipped, and DuckDB
  // checkpoints later on its own. (DuckDB 1.5 checkpoints here even with other transactions open,
  // reading or writing: tried on 2026-11-26, the WAL was empty afterwards.)
  begin('checkpoint');
  await db.run('CHECKPOINT').catch(() => undefined);
  lap('checkpoint');
  // After the checkpoint, so that the blocks read are the tables' final ones. Best effort: a
  // failure costs the first drill-downs their speed, nothing else.
  begin('prewarm');
  result.prewarm = await prewarmDrillDownTables(db).catch(() => null);
  lap('prewarm');
  return result;
}
