import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BufferedFileWriter } from './buffered-file-writer';
import { ConfirmationsWriter } from './confirmations-writer';
import { EventQueue } from './event-queue';
import { fieldsText } from './fix-encoder';
import { FixSessionWriter, type SessionCompIds } from './fix-session-writer';
import type { FlowContext, IdFactory } from './order-flow';
import type { PlannedMessage } from './plan-types';
import { Prng } from './prng';
import { ScenarioPicker } from './scenario-picker';
import { impossibleUtcTimestamp, SESSION_CLASSES } from './scenarios';
import { fixDate, tradingDayForSeed, type TradingDay } from './trading-day';
import { TruthCollector } from './truth';

// Generates a demo / benchmark dataset: DIR/fix.log (our FIX 4.4 session with the broker),
// DIR/confirmations.csv (the broker's view of every fill) and DIR/truth.json (every seeded break
// and quarantine row). Deterministic: the same (orders, seed, clean) gives byte-identical files
// (own PRNG, no clock). Streaming: orders are planned one at a time and their messages merged in
// time order through a heap holding only the orders in flight; files are written in chunks with
// backpressure, so memory does not grow with the number of orders.

export interface GenerateOptions {
  orders: number;
  seed: number;
  outDir: string;
  /** Agreeing log and confirmations: no seeded break, no seeded quarantine. */
  clean?: boolean;
  onProgress?: (p: { orders: number; totalOrders: number; messages: number }) => void;
}

export interface DatasetStats {
  orders: number;
  seed: number;
  clean: boolean;
  tradeDate: string;
  settlDate: string;
  messages: number;
  messagesByType: Record<string, number>;
  fills: number;
  confirmations: number;
  scenarios: Record<string, number>;
  seededBreaks: number;
  breaksByClass: Record<string, number>;
  quarantineRows: number;
  bytes: { fix: number; confirmations: number };
}

export interface GeneratedDataset {
  fixPath: string;
  confirmationsPath: string;
  truthPath: string;
  stats: DatasetStats;
}

export const COMP_IDS: SessionCompIds = { ours: 'ACMEOMS', theirs: 'BRKX' };
const COUNTERPARTY = 'BRKX';
const PROGRESS_EVERY = 10_000;

function idFactory(day: TradingDay): IdFactory {
  const yymmdd = fixDate(day.tradeDate).slice(2);
  let cl = 0;
  let order = 0;
  let exec = 0;
  return {
    clOrdId: () => `ACM${yymmdd}-${String(++cl).padStart(7, '0')}`,
    orderId: () => `BX${yymmdd}${String(++order).padStart(8, '0')}`,
    execId: () => `E${yymmdd}${String(++exec).padStart(9, '0')}`,
  };
}

export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const { orders, seed, outDir } = options;
  const clean = options.clean ?? false;
  if (!Number.isSafeInteger(orders) || orders < 1) throw new Error(`orders must be a positive integer, got ${orders}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);

  await mkdir(outDir, { recursive: true });
  const fixPath = path.join(outDir, 'fix.log');
  const confirmationsPath = path.join(outDir, 'confirmations.csv');
  const truthPath = path.join(outDir, 'truth.json');
  await rm(truthPath, { force: true });

  const rng = new Prng(seed);
  const day = tradingDayForSeed(seed);
  const span = day.closeMs - day.openMs;
  const meanGapMs = Math.min(20_000, span / orders);
  const ctx: FlowContext = {
    rng, day, ids: idFactory(day), stepMs: [50, 20_000], counterparty: COUNTERPARTY,
    fixTradeDate: fixDate(day.tradeDate), fixSettlDate: fixDate(day.settlDate),
  };
  const truth = new TruthCollector();
  const fixOut = new BufferedFileWriter(fixPath);
  const csvOut = new BufferedFileWriter(confirmationsPath);
  const fix = new FixSessionWriter(fixOut, COMP_IDS, truth);
  const confirmations = new ConfirmationsWriter(csvOut, truth);
  const queue = new EventQueue();
  const picker = new ScenarioPicker(rng, orders, clean);
  const scenarioCounts: Record<string, number> = {};
  let fills = 0;

  const flushIfNeeded = async () => {
    if (fixOut.needsFlush) await fixOut.flush();
    if (csvOut.needsFlush) await csvOut.flush();
  };

  const emit = (m: PlannedMessage) => {
    const sent = fix.write(m);
    for (const row of m.confirmations ?? []) confirmations.write(row);
    if (m.resend) {
      // Our side asks for the message again; the broker resends it with PossDupFlag and OrigSendingTime.
      const askAt = m.at + rng.int(20, 120);
      queue.push({ at: askAt, dir: 'out', msgType: '2', body: fieldsText([[7, String(sent.seq)], [16, String(sent.seq)]]) });
      const body = m.resend.badTransactTime
        ? m.body.replace(/\x0160=([^\x01]*)\x01/, (_all, ts: string) => `\x0160=${impossibleUtcTimestamp(ts)}\x01`)
        : m.body;
      queue.push({
        at: askAt + rng.int(5, 40), dir: 'in', msgType: m.msgType, body,
        possDup: { seq: sent.seq, origSendingTime: sent.sendingTime },
        quarantine: m.resend.badTransactTime
          ? { output: 'fix_order_events', violation_type: 'format_invalid', column: 'transact_time', scenario: 'quarantine_fix_transact_time' }
          : undefined,
      });
    }
  };

  const drainBefore = async (t: number) => {
    while (queue.peekTime() < t) {
      emit(queue.pop()!);
      await flushIfNeeded();
    }
  };

  try {
    const logonAt = day.openMs - 15 * 60_000 + rng.int(0, 59_999);
    fix.write({ at: logonAt, dir: 'out', msgType: 'A', body: fieldsText([[98, '0'], [108, '30']]) });
    fix.write({ at: logonAt + rng.int(5, 40), dir: 'in', msgType: 'A', body: fieldsText([[98, '0'], [108, '30']]) });

    let orderAt = day.openMs;
    for (let i = 0; i < orders; i++) {
      orderAt += Math.round(rng.exponential(meanGapMs));
      const scenario = picker.next();
      const planned = scenario.plan(ctx, orderAt);
      scenarioCounts[scenario.kind] = (scenarioCounts[scenario.kind] ?? 0) + 1;
      fills += planned.fills;
      for (const cls of scenario.expected) {
        if (SESSION_CLASSES.has(cls)) continue;
        truth.addBreak({ class: cls, cl_ord_id: planned.root, chain: planned.chain, scenario: scenario.kind });
      }
      for (const { row, attachTo } of planned.confirmations) (attachTo.confirmations ??= []).push(row);
      await drainBefore(orderAt);
      for (const m of planned.messages) queue.push(m);
      if ((i + 1) % PROGRESS_EVERY === 0) options.onProgress?.({ orders: i + 1, totalOrders: orders, messages: fix.messageCount });
    }
    await drainBefore(Infinity);

    const logoutAt = Math.max(fix.lastTime, orderAt) + 1_000 + rng.int(0, 999);
    fix.heartbeatsBefore(logoutAt);
    fix.write({ at: logoutAt, dir: 'out', msgType: '5', body: fieldsText([[58, 'End of trading day']]) });
    fix.write({ at: logoutAt + rng.int(5, 40), dir: 'in', msgType: '5', body: '' });
    await fixOut.close();
    await csvOut.close();
  } catch (err) {
    fixOut.destroy();
    csvOut.destroy();
    throw err;
  }
  options.onProgress?.({ orders, totalOrders: orders, messages: fix.messageCount });

  const { breaks, quarantine } = truth.sorted();
  const stats: DatasetStats = {
    orders, seed, clean, tradeDate: day.tradeDate, settlDate: day.settlDate,
    messages: fix.messageCount,
    messagesByType: sortKeys(fix.messagesByType),
    fills,
    confirmations: confirmations.rows,
    scenarios: sortKeys(scenarioCounts),
    seededBreaks: breaks.length,
    breaksByClass: truth.countsByClass(),
    quarantineRows: quarantine.length,
    bytes: { fix: fixOut.bytesWritten, confirmations: csvOut.bytesWritten },
  };
  const document = {
    generator: 'trade-break-workbench demo generator',
    format_version: 1,
    orders, seed, clean,
    trade_date: day.tradeDate,
    settl_date: day.settlDate,
    session: { ours: COMP_IDS.ours, theirs: COMP_IDS.theirs, begin_string: 'FIX.4.4' },
    notes:
      'breaks: every break a detector must find (cl_ord_id = root ClOrdID of the chain, chain = all its ClOrdIDs; ' +
      'session breaks have cl_ord_id null and the message index in source_row). quarantine: source_row is __cf_row_id ' +
      '(FIX: 0-based message index counting every message; CSV: 1-based data record ordinal).',
    by_class: stats.breaksByClass,
    breaks,
    quarantine,
    stats,
  };
  await writeFile(truthPath, JSON.stringify(document, null, 2) + '\n');
  return { fixPath, confirmationsPath, truthPath, stats };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
