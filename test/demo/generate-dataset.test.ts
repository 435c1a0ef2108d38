import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, type GeneratedDataset } from '../../lib/demo/generate-dataset';
import { checkFraming, readCsv, readFixLog, recomputeFindings, type RawMessage } from './independent-check';

// The demo generator: determinism, FIX framing, clean mode, and truth entries that point at
// real rows. Datasets are small (a few hundred orders) so the whole file runs in seconds.

const LIFECYCLE_AND_CP_CLASSES = [
  'overfill', 'cum_qty_mismatch', 'leaves_qty_mismatch', 'avg_px_mismatch', 'fill_after_terminal', 'duplicate_exec_id',
  'orphan_execution', 'unacknowledged_order', 'open_at_end_of_data', 'rejected_order', 'cancel_rejected', 'sequence_gap',
  'duplicate_seq_num', 'missing_in_counterparty', 'missing_in_ours', 'qty_mismatch', 'price_mismatch', 'side_mismatch',
  'trade_date_mismatch',
];
const RECOMPUTED = new Set([
  'overfill', 'cum_qty_mismatch', 'leaves_qty_mismatch', 'avg_px_mismatch', 'missing_in_counterparty', 'missing_in_ours',
  'qty_mismatch', 'price_mismatch', 'side_mismatch', 'trade_date_mismatch',
]);

interface Truth {
  clean: boolean;
  breaks: { class: string; cl_ord_id: string | null; chain: string[]; msg_seq_num?: number; source_row?: number }[];
  quarantine: { output: string; violation_type: string; source_row: number; column: string }[];
}

let root: string;
let demo: GeneratedDataset;
let demoAgain: GeneratedDataset;
let clean: GeneratedDataset;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const readTruth = (d: GeneratedDataset) => JSON.parse(readFileSync(d.truthPath, 'utf8')) as Truth;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'demo-gen-'));
  demo = await generateDataset({ orders: 300, seed: 42, outDir: path.join(root, 'a') });
  demoAgain = await generateDataset({ orders: 300, seed: 42, outDir: path.join(root, 'b') });
  clean = await generateDataset({ orders: 400, seed: 7, outDir: path.join(root, 'clean'), clean: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('determinism', () => {
  it('gives byte-identical files for the same orders and seed', () => {
    expect(sha256(demoAgain.fixPath)).toBe(sha256(demo.fixPath));
    expect(sha256(demoAgain.confirmationsPath)).toBe(sha256(demo.confirmationsPath));
    expect(sha256(demoAgain.truthPath)).toBe(sha256(demo.truthPath));
  });

  it('gives different files for another seed', async () => {
    const other = await generateDataset({ orders: 300, seed: 43, outDir: path.join(root, 'c') });
    expect(sha256(other.fixPath)).not.toBe(sha256(demo.fixPath));
  });
});

describe('fix.log', () => {
  it.each([['seeded', () => demo], ['clean', () => clean]])('%s: every message has a correct BodyLength and CheckSum', (_n, d) => {
    const messages = readFixLog(d().fixPath);
    expect(messages.length).toBe(d().stats.messages);
    const problems = messages.map((m) => checkFraming(m.line)).filter((p) => p !== null);
    expect(problems).toEqual([]);
  });

  it('breaking one byte is caught by the framing check (the check can fail)', () => {
    const line = Buffer.from(readFixLog(demo.fixPath)[5].line);
    line[line.indexOf(Buffer.from('\x0152=')) + 5] ^= 1;
    expect(checkFraming(line)).toMatch(/CheckSum/);
  });

  it('clean: MsgSeqNum is +1 per direction, PossDup resends reuse an earlier number, times are UTC ms in order', () => {
    const next = new Map<string, number>();
    let lastTime = '';
    for (const m of readFixLog(clean.fixPath)) {
      const t = m.tags;
      const seq = Number(t.get('34'));
      const sending = t.get('52')!;
      expect(sending).toMatch(/^\d{8}-\d{2}:\d{2}:\d{2}\.\d{3}$/);
      expect(sending >= lastTime).toBe(true);
      lastTime = sending;
      if (t.get('43') === 'Y') {
        expect(seq).toBeLessThan(next.get(t.get('49')!)!);
        expect(t.get('122')).toMatch(/^\d{8}-\d{2}:\d{2}:\d{2}\.\d{3}$/);
        continue;
      }
      expect(seq).toBe(next.get(t.get('49')!) ?? 1);
      next.set(t.get('49')!, seq + 1);
    }
  });

  it('has the session story: Logon, heartbeats, orders, cancels, replaces, busts, corrections, resends, Logout', () => {
    const types = readFixLog(demo.fixPath).map((m) => `${m.tags.get('35')}/${m.tags.get('150') ?? ''}`);
    for (const t of ['A/', '0/', 'D/', 'F/', 'G/', '2/', '5/', '9/', '8/0', '8/F', '8/4', '8/5', '8/6', '8/E', '8/8', '8/H', '8/G']) {
      expect(types).toContain(t);
    }
    const prices = readFixLog(demo.fixPath).filter((m) => m.tags.has('31')).map((m) => m.tags.get('31')!);
    for (const px of prices) expect(Number(px) >= 1 ? /^\d+\.\d{2}$/.test(px) : /^0\.\d{4}$/.test(px)).toBe(true);
  });
});

describe('clean mode', () => {
  it('seeds nothing', () => {
    const truth = readTruth(clean);
    expect(truth.clean).toBe(true);
    expect(truth.breaks).toEqual([]);
    expect(truth.quarantine).toEqual([]);
  });

  it('agrees with itself: exact CumQty/LeavesQty/AvgPx, every fill confirmed once, every order terminal', () => {
    const messages = readFixLog(clean.fixPath);
    const { rows } = readCsv(clean.confirmationsPath);
    expect(recomputeFindings(messages, rows, new Set())).toEqual([]);
    const lastStatus = new Map<string, string>();
    const rootOf = new Map<string, string>();
    for (const m of messages) {
      const t = m.tags;
      if (t.get('35') === 'D') rootOf.set(t.get('11')!, t.get('11')!);
      if (t.get('35') === 'F' || t.get('35') === 'G') rootOf.set(t.get('11')!, rootOf.get(t.get('41')!)!);
      if (t.get('35') === '8') lastStatus.set(rootOf.get(t.get('11')!)!, t.get('39')!);
    }
    expect(lastStatus.size).toBe(400);
    expect([...lastStatus.values()].filter((s) => s !== '2' && s !== '4')).toEqual([]);
    expect(new Set(rows.map((r) => r.exec_id)).size).toBe(rows.length);
  });
});

describe('seeded mode', () => {
  it('seeds at least one of every break class and the four quarantine kinds', () => {
    const truth = readTruth(demo);
    const classes = new Set(truth.breaks.map((b) => b.class));
    for (const c of LIFECYCLE_AND_CP_CLASSES) expect(classes, c).toContain(c);
    expect(truth.quarantine.map((q) => `${q.output}:${q.violation_type}`).sort()).toEqual([
      'confirmations:enum_invalid',
      'confirmations:format_invalid',
      'confirmations:precision_exceeded',
      'fix_order_events:format_invalid',
    ]);
  });

  it('truth entries point at existing rows holding the seeded value', () => {
    const truth = readTruth(demo);
    const messages = readFixLog(demo.fixPath);
    const { rows } = readCsv(demo.confirmationsPath);
    const ids = new Set<string>();
    for (const m of messages) for (const tag of ['11', '41']) if (m.tags.has(tag)) ids.add(m.tags.get(tag)!);
    for (const b of truth.breaks) {
      if (b.cl_ord_id === null) {
        const m: RawMessage = messages[b.source_row!];
        expect(m, b.class).toBeDefined();
        expect(Number(m.tags.get('34'))).toBe(b.msg_seq_num);
        expect(m.tags.get('43')).toBeUndefined();
      } else {
        expect(ids, `${b.class} ${b.cl_ord_id}`).toContain(b.cl_ord_id);
      }
    }
    for (const q of truth.quarantine) {
      if (q.output === 'fix_order_events') {
        const m = messages[q.source_row];
        expect(m.tags.get('35')).toBe('8');
        expect(m.tags.get('43')).toBe('Y');
        expect(m.tags.get('60')).toMatch(/^\d{4}0230-/);
      } else {
        expect(q.source_row).toBeGreaterThanOrEqual(1);
        expect(q.source_row).toBeLessThanOrEqual(rows.length);
        const value = rows[q.source_row - 1][q.column];
        if (q.violation_type === 'precision_exceeded') expect(value).toMatch(/^\d+\.\d{9,}$/);
        if (q.violation_type === 'format_invalid') expect(value).toMatch(/^\d{4}-02-30$/);
        if (q.violation_type === 'enum_invalid') expect(['BUY', 'SELL', 'SELL_SHORT']).not.toContain(value);
      }
    }
  });

  it('MsgSeqNum anomalies in the log are exactly the seeded session breaks', () => {
    const truth = readTruth(demo);
    const next = new Map<string, number>();
    const found: string[] = [];
    for (const m of readFixLog(demo.fixPath)) {
      if (m.tags.get('43') === 'Y') continue;
      const sender = m.tags.get('49')!;
      const seq = Number(m.tags.get('34'));
      const expected = next.get(sender) ?? 1;
      if (seq > expected) found.push(`sequence_gap ${m.index}`);
      if (seq < expected) found.push(`duplicate_seq_num ${m.index}`);
      next.set(sender, Math.max(expected, seq + 1));
    }
    const seeded = truth.breaks.filter((b) => b.cl_ord_id === null).map((b) => `${b.class} ${b.source_row}`);
    expect(found.sort()).toEqual(seeded.sort());
    expect(seeded.length).toBeGreaterThanOrEqual(2);
  });

  it('the numeric and counterparty classes recomputed from the files equal truth.json exactly', () => {
    const truth = readTruth(demo);
    const messages = readFixLog(demo.fixPath);
    const { rows } = readCsv(demo.confirmationsPath);
    const quarantined = new Set(truth.quarantine.filter((q) => q.output === 'confirmations').map((q) => q.source_row));
    const found = recomputeFindings(messages, rows, quarantined).map((f) => `${f.class} ${f.root}`).sort();
    const expected = truth.breaks.filter((b) => RECOMPUTED.has(b.class)).map((b) => `${b.class} ${b.cl_ord_id}`).sort();
    expect(found).toEqual(expected);
  });

  it('scales the seeded breaks with the number of orders', async () => {
    const big = await generateDataset({ orders: 1000, seed: 5, outDir: path.join(root, 'big') });
    const truth = readTruth(big);
    expect(truth.breaks.filter((b) => b.class === 'overfill')).toHaveLength(4);
    const messages = readFixLog(big.fixPath);
    expect(messages.map((m) => checkFraming(m.line)).filter((p) => p !== null)).toEqual([]);
  });

  it('the demo dataset stays under 10 MB', () => {
    const bytes = statSync(demo.fixPath).size + statSync(demo.confirmationsPath).size + statSync(demo.truthPath).size;
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
  });
});
