import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainMessages, chainsOf } from '../../db/breaks/break-queries';
import { CHAIN_MESSAGE_CELLS, decodeChainMessageCells } from '../../db/breaks/chain-message-cells';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { applyMigrations } from '../../db/migrate';
import { openDatabase } from '../../db/open';
import { generateDataset } from '../../lib/demo/generate-dataset';
import { FixScenario, useTempDb } from './fix-scenario';
import { stageAndLoad } from './stage-and-load';

// What the drill-down reads is stored for lookups that touch few blocks: a message's display cells
// in one JSON column (order_chain_messages.cells), ClOrdID memberships sorted by a hash key
// (order_chain_members.member_key). What the drill-down returns from the packed cells must be what
// it returns from the message's own row in fix_order_events (the fallback path, read with the
// columns' types): every value, every null, the same keys in the same order.

const t = useTempDb();
const ALL_MIGRATIONS = path.join(process.cwd(), 'db', 'migrations');

/** A database in `root` with the migrations numbered below `next` applied (the layout before it). */
async function databaseBefore(root: string, next: string) {
  const before = path.join(root, 'before');
  mkdirSync(before);
  for (const f of readdirSync(ALL_MIGRATIONS).filter((f) => f < next)) copyFileSync(path.join(ALL_MIGRATIONS, f), path.join(before, f));
  const data = path.join(root, 'data');
  return openDatabase({ file: path.join(data, 'w.duckdb'), dataDir: data, migrationsDir: before });
}

/** Every chain's messages from the packed copy, then from fix_order_events (the copy emptied). */
async function bothPaths(): Promise<{ packed: Record<string, unknown>[][]; fromRows: Record<string, unknown>[][] }> {
  const chains = await t.db.all<{ session: string; chain_root: string }>(`SELECT session, chain_root FROM order_chains ORDER BY session, chain_root`);
  expect(chains.length).toBeGreaterThan(0);
  const packed = [];
  for (const c of chains) packed.push(await chainMessages(t.db, c.session, c.chain_root));
  expect(Number((await t.db.all<{ n: string }>(`SELECT count(*) AS n FROM order_chain_messages`))[0].n)).toBeGreaterThan(0);
  await t.db.run(`DELETE FROM order_chain_messages`);
  const fromRows = [];
  for (const c of chains) fromRows.push(await chainMessages(t.db, c.session, c.chain_root));
  return { packed, fromRows };
}

function expectSame(a: Record<string, unknown>[][], b: Record<string, unknown>[][]): void {
  expect(a.map((chain) => chain.map((m) => Object.keys(m)))).toEqual(b.map((chain) => chain.map((m) => Object.keys(m))));
  expect(a).toEqual(b);
}

describe('drill-down messages from the packed copy', () => {
  it('equal the rows of fix_order_events for every chain of a generated dataset', async () => {
    const ds = await generateDataset({ orders: 150, seed: 11, outDir: path.join(t.dir, 'gen') });
    await stageAndLoad(t.db, t.dir, ds.fixPath, 'fix', 'job-fix');
    await stageAndLoad(t.db, t.dir, ds.confirmationsPath, 'confirmations_csv', 'job-conf');
    await detectBreaks(t.db, { asOf: '2026-03-20' });
    const { packed, fromRows } = await bothPaths();
    expect(packed.flat().length).toBeGreaterThan(600);
    expectSame(packed, fromRows);
  });

  it('keep awkward text, untrimmed ids, sub-millisecond times and nulls exactly', async () => {
    const s = new FixScenario();
    s.order('Q1', { qty: '100', px: '12.3456789' });
    s.send('them', {
      msg_type: '8', cl_ord_id: 'Q1', order_id: 'O-Q1', exec_id: ' E1 ', exec_type: '0', ord_status: '0', side: '1', symbol: 'IBM',
      cum_qty: '0', leaves_qty: '100', avg_px: '0', transact_time: '2026-11-20T14:00:05.123456Z',
      text: 'quote " backslash \\ tab \t newline \n unicode ü € 😀 and [1, null]',
    });
    // Ids detection normalises (trimmed; an OrderID placeholder is no OrderID) are shown as received.
    s.send('them', {
      msg_type: '8', cl_ord_id: 'Q1', order_id: 'NONE', exec_id: 'E-ST', exec_ref_id: ' E1', exec_type: 'I', ord_status: '0', side: '1',
      symbol: 'IBM', cum_qty: '0', leaves_qty: '100', avg_px: '0', transact_time: '2026-11-20T14:00:06Z',
    });
    s.fill('Q1', '99.99999999', '12.3456789');
    await s.load(t.db);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    const [c] = await chainsOf(t.db, 'Q1');
    const packed = await chainMessages(t.db, c.session, c.chain_root);
    const ack = packed.find((m) => m.exec_id === ' E1 ')!;
    expect(ack.text).toBe('quote " backslash \\ tab \t newline \n unicode ü € 😀 and [1, null]');
    expect(ack.transact_time).toBe('2026-11-20T14:00:05.123456Z');
    expect(ack.last_qty).toBeNull();
    const status = packed.find((m) => m.exec_id === 'E-ST')!;
    expect([status.order_id, status.exec_ref_id]).toEqual(['NONE', ' E1']);
    const { packed: all, fromRows } = await bothPaths();
    expectSame(all, fromRows);
  });

  it('keep the lineage of each message where one job holds rows of two contracts (a quarantine replay)', async () => {
    const s = new FixScenario();
    s.order('R1', { qty: '100', px: '10' });
    s.fill('R1', '40', '10');
    s.fill('R1', '60', '10');
    await s.load(t.db);
    // A replay writes the rows it recovers under the job that first read them, with the amended
    // contract's hash (lib/server/contracts/replay-quarantine.ts): one job, two contract hashes.
    await t.db.run(`UPDATE fix_order_events SET _cf_contract_hash = 'amended-contract', _cf_parser_version = '9.9.9'
      WHERE message_index = (SELECT max(message_index) FROM fix_order_events)`);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    const [c] = await chainsOf(t.db, 'R1');
    const packed = await chainMessages(t.db, c.session, c.chain_root);
    expect(new Set(packed.map((m) => m.job_id)).size).toBe(1);
    expect(packed.map((m) => m.contract_hash === 'amended-contract')).toEqual(packed.map((_, i) => i === packed.length - 1));
    expect(packed[packed.length - 1].parser_version).toBe('9.9.9');
    const { packed: all, fromRows } = await bothPaths();
    expectSame(all, fromRows);
  });

  it('refuses a stored value with the wrong number of cells', () => {
    expect(() => decodeChainMessageCells('[]')).toThrow(/breaks\.bad_cells/);
    expect(Object.keys(decodeChainMessageCells(JSON.stringify(CHAIN_MESSAGE_CELLS.map(() => null))))).toEqual([...CHAIN_MESSAGE_CELLS]);
  });

  it('are converted from a database of the earlier layout (migrations 008 to 010)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'wb-cells-migrate-'));
    try {
      const db = await databaseBefore(root, '008');
      await db.run(`INSERT INTO order_chain_messages (chain_key, session, chain_root, seq, message_index, line_number, source_hash, job_id,
          sending_time, transact_time, msg_type, msg_seq_num, cl_ord_id, exec_id, order_qty, text)
        VALUES (7, 'A|B', 'R', 2, 1, 2, 'h', 'j', '2026-11-20 14:00:01+00', '2026-11-20 14:00:01.5+00', '8', 12, 'R', ' E1 ', '1.50000000', 'a "b"'),
               (7, 'A|B', 'R', 1, 0, 1, 'h', 'j', '2026-11-20 14:00:00+00', NULL, 'D', 11, 'R', NULL, '100', NULL)`);
      await db.run(`INSERT INTO order_chain_members VALUES ('A|B', 'R', 'R'), ('A|B', 'R', 'R2'), ('C|D', 'X', 'R')`);
      expect(await applyMigrations(db, ALL_MIGRATIONS)).toEqual(['008_chain_message_cells.sql', '009_chain_member_keys.sql', '010_lookup_compression.sql']);
      expect((await chainsOf(db, 'R')).map((c) => [c.session, c.chain_root])).toEqual([['A|B', 'R'], ['C|D', 'X']]);
      expect((await chainsOf(db, 'R2')).map((c) => c.chain_root)).toEqual(['R']);
      const rows = await chainMessages(db, 'A|B', 'R', '7');
      expect(rows.map((r) => [r.message_index, r.sending_time, r.transact_time, r.msg_seq_num, r.exec_id, r.order_qty, r.text, r.price])).toEqual([
        ['0', '2026-11-20T14:00:00Z', null, '11', null, '100', null, null],
        ['1', '2026-11-20T14:00:01Z', '2026-11-20T14:00:01.5Z', '12', ' E1 ', '1.50000000', 'a "b"', null],
      ]);
      // Stored in (chain_key, seq) order, as detection writes it.
      expect((await db.all<{ seq: string }>(`SELECT seq FROM order_chain_messages`)).map((r) => r.seq)).toEqual(['1', '2']);
      await db.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('store the high-cardinality text of the lookup tables with zstd, keeping their rows in order (migration 010)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'wb-lookup-compression-'));
    try {
      const db = await databaseBefore(root, '010');
      // Enough rows for a compressed segment; stored out of key order would show in the reads below.
      await db.run(`INSERT INTO order_fills (chain_key, fill_id, session, chain_root, cl_ord_id, order_id, exec_id, current_exec_id, last_qty, chain_fill_ordinal)
        SELECT i // 3, 'A|B|E' || i, 'A|B', 'R' || (i // 3), 'C' || (i // 3), 'O' || (i // 3), 'E' || i, 'E' || i, '1.5', i % 3 + 1 FROM range(20000) t(i)`);
      await db.run(`INSERT INTO order_chain_members SELECT i, 'A|B', 'R' || i, 'C' || i FROM range(20000) t(i)`);
      await db.run(`INSERT INTO order_chain_messages (chain_key, session, chain_root, seq, cells) SELECT i // 3, 'A|B', 'R' || (i // 3), i, '[]' FROM range(20000) t(i)`);
      const digest = async (table: string) =>
        (await db.all<{ n: string; h: string }>(`SELECT count(*)::VARCHAR AS n, sum(hash(x) * (rn + 1))::VARCHAR AS h FROM (SELECT x, row_number() OVER () AS rn FROM ${table} x)`))[0];
      const tables = ['order_fills', 'order_chain_members', 'order_chain_messages'];
      const before010 = await Promise.all(tables.map(digest));
      expect(await applyMigrations(db, ALL_MIGRATIONS)).toEqual(['010_lookup_compression.sql']);
      expect(await Promise.all(tables.map(digest))).toEqual(before010);
      await db.run('CHECKPOINT');
      const compression = async (table: string, column: string) =>
        (await db.all<{ c: string }>(`SELECT DISTINCT compression AS c FROM pragma_storage_info('${table}') WHERE column_name = ? AND segment_type = 'VARCHAR'`, [column])).map((r) => r.c);
      for (const c of ['fill_id', 'chain_root', 'cl_ord_id', 'order_id', 'exec_id', 'current_exec_id']) expect(await compression('order_fills', c)).toEqual(['ZSTD']);
      for (const c of ['chain_root', 'cl_ord_id']) expect(await compression('order_chain_members', c)).toEqual(['ZSTD']);
      expect(await compression('order_chain_messages', 'chain_root')).toEqual(['ZSTD']);
      // Low-cardinality text keeps DuckDB's choice.
      expect(await compression('order_fills', 'session')).not.toEqual(['ZSTD']);
      await db.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
