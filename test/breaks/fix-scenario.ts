import Decimal from 'decimal.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { duckdbTypeOf } from '../../lib/contracts/duckdb-type';
import { ORDER_EVENT_COLUMNS, ORDER_EVENT_FIELDS, SESSION_EVENT_COLUMNS, SESSION_EVENT_FIELDS } from '../../lib/fix/fix-output-columns';
import { CONFIRMATIONS_COLUMNS } from '../../lib/parsers/confirmations/confirmations-intent';
import type { ColumnSpec } from '../../lib/contracts/column-type';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { detectBreaks, type DetectBreaksOptions } from '../../db/breaks/detect-breaks';
import { openDatabase, type OpenDb } from '../../db/open';

// Hand-built FIX conversations for break tests. A scenario is the exchange of one session
// (us = BUY, the venue = SELL) written message by message; it becomes typed warehouse rows (as
// promotion would insert them) or raw FIX text (for the CLI, through the real parser).

type Row = Record<string, string | null>;

const LINEAGE_DDL = `line_number BIGINT, message_index BIGINT, _cf_source_hash VARCHAR, _cf_job_id VARCHAR,
  _cf_processed_at TIMESTAMPTZ, _cf_parser_version VARCHAR, _cf_contract_hash VARCHAR, _cf_source_offset BIGINT, _cf_source_length BIGINT`;

function ddl(table: string, columns: ColumnSpec[], extra = ''): string {
  const cols = columns.map((c) => `"${c.name}" ${duckdbTypeOf(c.type)}`).join(', ');
  return `CREATE TABLE ${table} (${cols}, ${extra}${LINEAGE_DDL})`;
}

/** The warehouse tables as promotion creates them (columns of the default contracts + lineage). */
export async function createWarehouseTables(db: OpenDb): Promise<void> {
  await db.run(ddl('fix_order_events', ORDER_EVENT_COLUMNS));
  await db.run(ddl('fix_session_events', SESSION_EVENT_COLUMNS));
  await db.run(ddl('confirmations', CONFIRMATIONS_COLUMNS, 'venue_trade_id VARCHAR, '));
}

export interface TempDb {
  db: OpenDb;
  dir: string;
  cleanup(): Promise<void>;
}

/** A real DuckDB file in a temp dir, migrated, with empty warehouse tables. */
export async function openTempDb(): Promise<TempDb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-breaks-'));
  const db = await openDatabase({ file: path.join(dir, 'workbench.duckdb'), dataDir: dir });
  await createWarehouseTables(db);
  return {
    db,
    dir,
    async cleanup() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The hooks every breaks test file shares: one temp database for the file (openTempDb), removed
 * after it, and its tables emptied before each test unless `reset` is false. The returned
 * holder's `db` and `dir` are the database and its directory once beforeAll has run.
 */
export function useTempDb(opts: { reset?: boolean } = {}): { readonly db: OpenDb; readonly dir: string } {
  let temp: TempDb | null = null;
  beforeAll(async () => {
    temp = await openTempDb();
  });
  afterAll(async () => {
    await temp?.cleanup();
  });
  if (opts.reset !== false) {
    beforeEach(async () => {
      await resetTables(temp!.db);
    });
  }
  const opened = (): TempDb => {
    if (!temp) throw new Error('useTempDb: the database is opened in beforeAll');
    return temp;
  };
  return {
    get db() {
      return opened().db;
    },
    get dir() {
      return opened().dir;
    },
  };
}

/** Loads a scenario, runs detection as of 2026-11-24 and returns the open breaks per class. */
export async function loadAndDetect(db: OpenDb, s: FixScenario, opts: DetectBreaksOptions = {}): Promise<Record<string, number>> {
  await s.load(db);
  await detectBreaks(db, { asOf: '2026-11-24', ...opts });
  return openBreakCounts(db);
}

/** Inserts rows (text cells) into a table by name; DuckDB casts them to the column types. */
export async function insertRows(db: OpenDb, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const structure = JSON.stringify([Object.fromEntries(names.map((n) => [n, 'VARCHAR']))]);
  await db.run(`INSERT INTO ${table} BY NAME SELECT unnest(from_json(?::JSON, '${structure}'), recursive := true)`, [JSON.stringify(rows)]);
}

const SESSION_TYPES = new Set(['A', '0', '1', '2', '3', '4', '5', 'j']);
const TAG_OF = new Map<string, number>([
  ...ORDER_EVENT_FIELDS.map(([tag, c]) => [c.name, tag] as [string, number]),
  ...SESSION_EVENT_FIELDS.map(([tag, c]) => [c.name, tag] as [string, number]),
]);

interface OrderState {
  qty: Decimal;
  cum: Decimal;
  notional: Decimal;
  px: string;
  side: string;
  symbol: string;
  account: string;
  orderId: string;
}

/** Fields of a fill report to set instead of the simulated ones (any column; cl_ord_id null drops tag 11). */
export type FillOverrides = { order_id?: string; cl_ord_id?: string | null } & Record<string, string | null | undefined>;

export class FixScenario {
  readonly messages: { row: Row; sessionEvent: boolean }[] = [];
  private seq = new Map<string, number>();
  private clock: number;
  private orders = new Map<string, OrderState>();
  private execCounter = 0;

  constructor(
    readonly opts: { begin?: 'FIX.4.4' | 'FIX.4.2'; ours?: string; theirs?: string; start?: string; jobId?: string; sourceHash?: string } = {},
  ) {
    this.clock = Date.parse(opts.start ?? '2026-11-20T14:00:00Z');
  }

  get begin(): string {
    return this.opts.begin ?? 'FIX.4.4';
  }

  /** A message; `from` 'us' or 'them'; sequence numbers and sending times are assigned unless given. */
  send(from: 'us' | 'them', fields: Row): Row {
    const sender = from === 'us' ? (this.opts.ours ?? 'BUY') : (this.opts.theirs ?? 'VENUE');
    const target = from === 'us' ? (this.opts.theirs ?? 'VENUE') : (this.opts.ours ?? 'BUY');
    const dir = `${sender}>${target}`;
    const explicit = fields.msg_seq_num !== undefined && fields.msg_seq_num !== null;
    const seq = explicit ? Number(fields.msg_seq_num) : (this.seq.get(dir) ?? 0) + 1;
    // An explicit PossDup resend does not move the counter; anything else continues from it.
    if (!explicit || fields.poss_dup_flag !== 'Y') this.seq.set(dir, seq);
    this.clock += 1000;
    const row: Row = {
      begin_string: this.begin,
      sender_comp_id: sender,
      target_comp_id: target,
      sending_time: new Date(this.clock).toISOString(),
      ...fields,
      msg_seq_num: String(seq),
    };
    this.messages.push({ row, sessionEvent: SESSION_TYPES.has(String(fields.msg_type)) });
    return row;
  }

  /** Moves the next expected MsgSeqNum of a direction (to model a gap or a reset). */
  setNextSeq(from: 'us' | 'them', next: number): void {
    const sender = from === 'us' ? (this.opts.ours ?? 'BUY') : (this.opts.theirs ?? 'VENUE');
    const target = from === 'us' ? (this.opts.theirs ?? 'VENUE') : (this.opts.ours ?? 'BUY');
    this.seq.set(`${sender}>${target}`, next - 1);
  }

  private get transactTime(): string {
    return new Date(this.clock + 1000).toISOString();
  }

  order(clOrdId: string, o: { qty: string; px: string; side?: string; symbol?: string; account?: string; tif?: string; orderId?: string }): Row {
    const st: OrderState = {
      qty: new Decimal(o.qty), cum: new Decimal(0), notional: new Decimal(0), px: o.px, side: o.side ?? '1',
      symbol: o.symbol ?? 'IBM', account: o.account ?? 'ACC1', orderId: o.orderId ?? `O-${clOrdId}`,
    };
    this.orders.set(clOrdId, st);
    return this.send('us', {
      msg_type: 'D', cl_ord_id: clOrdId, side: st.side, symbol: st.symbol, order_qty: o.qty, ord_type: '2', price: o.px,
      account: st.account, time_in_force: o.tif ?? '0', transact_time: this.transactTime,
    });
  }

  private state(clOrdId: string): OrderState {
    const s = this.orders.get(clOrdId);
    if (!s) throw new Error(`unknown order ${clOrdId}`);
    return s;
  }

  private report(clOrdId: string, f: Row): Row {
    const s = this.state(clOrdId);
    const leaves = Decimal.max(s.qty.minus(s.cum), 0);
    return this.send('them', {
      msg_type: '8', cl_ord_id: clOrdId, order_id: s.orderId, exec_id: `E${++this.execCounter}`, side: s.side, symbol: s.symbol,
      account: s.account, order_qty: s.qty.toFixed(), price: s.px, cum_qty: s.cum.toFixed(), leaves_qty: leaves.toFixed(),
      avg_px: this.avg(s), transact_time: this.transactTime, trade_date: '2026-11-20',
      ...(this.begin === 'FIX.4.2' ? { exec_trans_type: '0' } : {}),
      ...f,
    });
  }

  private avg(s: OrderState): string {
    return s.cum.isZero() ? '0' : s.notional.div(s.cum).toDecimalPlaces(6).toFixed();
  }

  ack(clOrdId: string, extra: Row = {}): Row {
    return this.report(clOrdId, { exec_type: '0', ord_status: '0', ...extra });
  }

  fill(clOrdId: string, qty: string, px: string, o: FillOverrides = {}): Row {
    const s = this.state(clOrdId);
    s.cum = s.cum.plus(qty);
    s.notional = s.notional.plus(new Decimal(qty).times(px));
    const done = s.cum.gte(s.qty);
    const execType = this.begin === 'FIX.4.2' ? (done ? '2' : '1') : 'F';
    const { cl_ord_id, order_id, ...rest } = o;
    const row: Row = { exec_type: execType, ord_status: done ? '2' : '1', last_qty: qty, last_px: px };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) row[k] = v;
    if (order_id !== undefined) row.order_id = order_id;
    const r = this.report(clOrdId, row);
    if (cl_ord_id !== undefined) r.cl_ord_id = cl_ord_id;
    return r;
  }

  /** Undoes a fill (4.4: 150=H; 4.2: 20=1) referring to its ExecID. */
  bust(clOrdId: string, ref: Row, extra: Row = {}): Row {
    const s = this.state(clOrdId);
    s.cum = s.cum.minus(ref.last_qty!);
    s.notional = s.notional.minus(new Decimal(ref.last_qty!).times(ref.last_px!));
    const how: Row = this.begin === 'FIX.4.2' ? { exec_trans_type: '1', exec_type: ref.exec_type } : { exec_type: 'H' };
    return this.report(clOrdId, { ...how, exec_ref_id: ref.exec_id, last_qty: ref.last_qty, last_px: ref.last_px, ord_status: s.cum.isZero() ? '0' : '1', ...extra });
  }

  /** Corrects a fill's quantity/price (4.4: 150=G; 4.2: 20=2). */
  correct(clOrdId: string, ref: Row, qty: string, px: string, extra: Row = {}): Row {
    const s = this.state(clOrdId);
    s.cum = s.cum.minus(ref.last_qty!).plus(qty);
    s.notional = s.notional.minus(new Decimal(ref.last_qty!).times(ref.last_px!)).plus(new Decimal(qty).times(px));
    const how: Row = this.begin === 'FIX.4.2' ? { exec_trans_type: '2', exec_type: ref.exec_type } : { exec_type: 'G' };
    return this.report(clOrdId, { ...how, exec_ref_id: ref.exec_id, last_qty: qty, last_px: px, ord_status: s.cum.gte(s.qty) ? '2' : '1', ...extra });
  }

  /** Cancel request and its confirmation (the order leaves 0). */
  cancel(clOrdId: string, newId: string): Row {
    const s = this.state(clOrdId);
    this.send('us', { msg_type: 'F', cl_ord_id: newId, orig_cl_ord_id: clOrdId, side: s.side, symbol: s.symbol, order_qty: s.qty.toFixed(), transact_time: this.transactTime });
    this.orders.set(newId, s);
    return this.report(newId, { exec_type: '4', ord_status: '4', orig_cl_ord_id: clOrdId, leaves_qty: '0' });
  }

  replaceRequest(clOrdId: string, newId: string, qty: string): Row {
    const s = this.state(clOrdId);
    return this.send('us', { msg_type: 'G', cl_ord_id: newId, orig_cl_ord_id: clOrdId, side: s.side, symbol: s.symbol, order_qty: qty, price: s.px, ord_type: '2', account: s.account, transact_time: this.transactTime });
  }

  replaced(clOrdId: string, newId: string, qty: string): Row {
    const s = this.state(clOrdId);
    s.qty = new Decimal(qty);
    this.orders.set(newId, s);
    return this.report(newId, { exec_type: '5', ord_status: s.cum.isZero() ? '0' : '1', orig_cl_ord_id: clOrdId });
  }

  /** Typed-table rows with lineage, as promotion writes them. */
  rows(): { orderEvents: Row[]; sessionEvents: Row[] } {
    const jobId = this.opts.jobId ?? 'job-1';
    const hash = this.opts.sourceHash ?? `hash-${jobId}`;
    const orderEvents: Row[] = [];
    const sessionEvents: Row[] = [];
    let offset = 0; // byte spans of toFix(): one message per line
    this.messages.forEach(({ row, sessionEvent }, i) => {
      const length = Buffer.byteLength(renderFix(row));
      const lineage: Row = {
        line_number: String(i + 1), message_index: String(i), _cf_source_hash: hash, _cf_job_id: jobId,
        _cf_processed_at: '2026-11-21T00:00:00Z', _cf_parser_version: '1.0.0', _cf_contract_hash: 'c', _cf_source_offset: String(offset),
        _cf_source_length: String(length), body_length_ok: 'true', checksum_ok: 'true', checksum_present: 'true', fields: '[]',
      };
      offset += length + 1;
      if (sessionEvent) sessionEvents.push({ ...row, ...lineage });
      else orderEvents.push({ ...row, ...lineage, lifecycle_event: 'other' });
    });
    return { orderEvents, sessionEvents };
  }

  async load(db: OpenDb): Promise<void> {
    const { orderEvents, sessionEvents } = this.rows();
    await insertRows(db, 'fix_order_events', orderEvents);
    await insertRows(db, 'fix_session_events', sessionEvents);
  }

  /** The conversation as a FIX log (SOH-delimited, one message per line, valid BodyLength/CheckSum). */
  toFix(): string {
    return this.messages.map(({ row }) => renderFix(row)).join('\n') + '\n';
  }
}

const HEADER: [number, string][] = [
  [35, 'msg_type'], [49, 'sender_comp_id'], [56, 'target_comp_id'], [34, 'msg_seq_num'], [52, 'sending_time'], [43, 'poss_dup_flag'],
  [97, 'poss_resend'],
];

function fixTime(iso: string): string {
  return iso.replace(/-/g, '').replace('T', '-').replace('Z', '');
}

export function renderFix(row: Row): string {
  const SOH = '\x01';
  const parts: string[] = [];
  for (const [tag, col] of HEADER) {
    const v = row[col];
    if (v !== null && v !== undefined) parts.push(`${tag}=${col === 'sending_time' ? fixTime(v) : v}`);
  }
  for (const [col, v] of Object.entries(row)) {
    if (v === null || v === undefined) continue;
    if (HEADER.some(([, c]) => c === col) || col === 'begin_string') continue;
    const tag = TAG_OF.get(col);
    if (tag === undefined) continue;
    let text = v;
    if (col === 'transact_time') text = fixTime(v);
    if (col === 'trade_date' || col === 'settl_date') text = v.replace(/-/g, '');
    parts.push(`${tag}=${text}`);
  }
  const body = parts.join(SOH) + SOH;
  const head = `8=${row.begin_string}${SOH}9=${Buffer.byteLength(body)}${SOH}`;
  const sum = [...Buffer.from(head + body)].reduce((a, b) => a + b, 0) % 256;
  return `${head}${body}10=${String(sum).padStart(3, '0')}${SOH}`;
}

/**
 * The scenario's FIX log written to `dir` and its job's row (SUCCESS, its source path): what the
 * drill-down reads raw bytes through. The job id and source hash are the scenario's.
 */
export async function storeScenarioSource(db: OpenDb, dir: string, s: FixScenario): Promise<void> {
  const jobId = s.opts.jobId ?? 'job-1';
  const file = path.join(dir, `${jobId}.log`);
  writeFileSync(file, s.toFix());
  await db.run(
    `INSERT INTO jobs (id, upload_id, source_path, source_sha256, parser_id, parser_version, logic_hash, status, created_by)
     VALUES (?, 'u1', ?, ?, 'fix', '1.0.0', 'x', 'SUCCESS', 'ops')`,
    [jobId, file, s.opts.sourceHash ?? `hash-${jobId}`],
  );
}

/** Typed confirmation rows with lineage. */
export function confirmationRows(rows: Row[], jobId = 'job-conf'): Row[] {
  return rows.map((r, i) => ({
    currency: 'USD', counterparty: null, ...r, line_number: String(i + 2), message_index: String(i + 1), _cf_source_hash: `hash-${jobId}`,
    _cf_job_id: jobId, _cf_processed_at: '2026-11-21T00:00:00Z', _cf_parser_version: '1.0.0', _cf_contract_hash: 'c',
    _cf_source_offset: String(i * 100), _cf_source_length: '100',
  }));
}

const RESET_TABLES = [
  'fix_order_events', 'fix_session_events', 'confirmations', 'breaks', 'break_events', 'break_comments', 'order_chain_members',
  'order_chains', 'order_fills', 'counterparty_matches', 'order_chain_messages',
];

/** Empties the warehouse and break tables (one database per test file keeps the suite fast). */
export async function resetTables(db: OpenDb): Promise<void> {
  for (const t of RESET_TABLES) await db.run(`DELETE FROM ${t}`);
}

/** Open breaks per class. */
export async function openBreakCounts(db: OpenDb): Promise<Record<string, number>> {
  const rows = await db.all<{ class: string; n: number }>(
    `SELECT class, count(*)::INTEGER AS n FROM breaks WHERE status IN ('open', 'investigating') GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.class, Number(r.n)]));
}

export interface StoredBreak {
  break_id: string;
  class: string;
  cl_ord_id: string | null;
  chain_root: string | null;
  session: string | null;
  status: string;
  severity: string;
  age_days: number | null;
  details: Record<string, unknown>;
  evidence: Record<string, unknown>[];
  closed_reason: string | null;
}

export async function storedBreaks(db: OpenDb, cls?: string): Promise<StoredBreak[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT break_id, class, cl_ord_id, chain_root, session, status, severity, age_days, details, evidence, closed_reason
     FROM breaks ${cls ? 'WHERE class = ?' : ''} ORDER BY class, match_key`,
    cls ? [cls] : [],
  );
  return rows.map((r) => ({
    ...(r as unknown as StoredBreak),
    age_days: r.age_days === null ? null : Number(r.age_days),
    details: JSON.parse(String(r.details)),
    evidence: JSON.parse(String(r.evidence)),
  }));
}
