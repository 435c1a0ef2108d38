import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBreaksArgs } from '../../cli/commands/breaks';
import { FixScenario } from './fix-scenario';

// `workbench breaks` end to end: raw FIX text (rendered from hand-built conversations, valid
// BodyLength/CheckSum) through the real parser, pipeline and default contracts, then detection in
// an in-memory DuckDB. A real process, as a user runs it: the CLI's own arguments and exit codes.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-breaks-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function workbench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [path.join(ROOT, 'bin', 'workbench.mjs'), 'breaks', ...args], { cwd: ROOT, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** One 4.4 session with every edge case that must stay clean, plus seeded breaks. */
function fix44(): FixScenario {
  const s = new FixScenario();
  s.send('us', { msg_type: 'A', reset_seq_num_flag: 'Y', heart_bt_int: '30' });
  s.send('them', { msg_type: 'A', reset_seq_num_flag: 'Y', heart_bt_int: '30' });
  // clean: a plain fill
  s.order('A', { qty: '100', px: '10' });
  s.ack('A');
  s.fill('A', '100', '10');
  // clean: a replace crossing a fill
  s.order('R', { qty: '100', px: '10' });
  s.ack('R');
  s.fill('R', '40', '10');
  s.replaceRequest('R', 'R2', '150');
  s.fill('R', '30', '10');
  s.replaced('R', 'R2', '150');
  s.fill('R2', '80', '10');
  // clean: a fill after cancel followed by its bust
  s.order('K', { qty: '100', px: '10' });
  s.ack('K');
  s.cancel('K', 'K2');
  const late = s.fill('K2', '10', '10', { ord_status: '4', leaves_qty: '0' });
  s.bust('K2', late, { ord_status: '4', leaves_qty: '0' });
  // clean: a PossDup resend of a fill
  s.order('P', { qty: '50', px: '20' });
  s.ack('P');
  const f = s.fill('P', '50', '20');
  s.send('them', { ...f, poss_dup_flag: 'Y', orig_sending_time: f.sending_time });
  // clean: completing fill 39=1 / 151=0 then a status report
  s.order('H', { qty: '10', px: '3' });
  s.ack('H');
  s.fill('H', '10', '3', { ord_status: '1' });
  s.ack('H', { exec_type: 'I', ord_status: '2', cum_qty: '10', leaves_qty: '0', avg_px: '3' });
  // seeded: overfill, unacknowledged_order, rejected_order, a sequence gap
  s.order('B', { qty: '100', px: '10' });
  s.ack('B');
  s.fill('B', '60', '10');
  s.fill('B', '60', '10');
  s.order('C', { qty: '5', px: '1' });
  s.order('J', { qty: '5', px: '1' });
  s.ack('J', { exec_type: '8', ord_status: '8', leaves_qty: '0', ord_rej_reason: '1' });
  s.setNextSeq('them', 100);
  s.send('them', { msg_type: '0' });
  return s;
}

/** A 4.2 session: a bust via ExecTransType=1, a Logon reset, and one repeated MsgSeqNum. */
function fix42(): FixScenario {
  const s = new FixScenario({ begin: 'FIX.4.2', ours: 'BUY2', theirs: 'VENUE2' });
  s.send('us', { msg_type: 'A', heart_bt_int: '30' });
  s.send('them', { msg_type: 'A', heart_bt_int: '30' });
  s.order('X', { qty: '100', px: '10' });
  s.ack('X');
  s.fill('X', '40', '10');
  const second = s.fill('X', '60', '10');
  s.bust('X', second);
  s.fill('X', '60', '10.5');
  s.setNextSeq('us', 1);
  s.setNextSeq('them', 1);
  s.send('us', { msg_type: 'A', reset_seq_num_flag: 'Y', heart_bt_int: '30' });
  s.send('them', { msg_type: 'A', reset_seq_num_flag: 'Y', heart_bt_int: '30' });
  s.send('them', { msg_type: '0' });
  s.send('them', { msg_type: '0', msg_seq_num: '2' });
  return s;
}

describe('workbench breaks', () => {
  it('reads raw FIX logs and reports each seeded break exactly once, and nothing for the edge cases', async () => {
    const a = path.join(dir, 'session44.log');
    const b = path.join(dir, 'session42.log');
    writeFileSync(a, fix44().toFix());
    writeFileSync(b, fix42().toFix());
    const r = await workbench([a, b, '--json', '--as-of', '2026-11-24']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { orders: number; breaks: { class: string; cl_ord_id: string | null; session: string }[]; by_class: Record<string, number> };
    expect(out.by_class).toEqual({ overfill: 1, unacknowledged_order: 1, rejected_order: 1, sequence_gap: 1, duplicate_seq_num: 1 });
    expect(out.orders).toBe(9);
    expect(out.breaks.map((x) => [x.class, x.cl_ord_id, x.session]).sort()).toEqual([
      ['duplicate_seq_num', null, 'BUY2|VENUE2'],
      ['overfill', 'B', 'BUY|VENUE'],
      ['rejected_order', 'J', 'BUY|VENUE'],
      ['sequence_gap', null, 'BUY|VENUE'],
      ['unacknowledged_order', 'C', 'BUY|VENUE'],
    ]);
  });

  it('reconciles against a confirmations CSV', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '40', '10');
    s.fill('A', '60', '10');
    const fixPath = path.join(dir, 'recon.log');
    writeFileSync(fixPath, s.toFix());
    const csvPath = path.join(dir, 'confirmations.csv');
    writeFileSync(
      csvPath,
      [
        'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty',
        'E2,A,O-A,IBM,BUY,40,10.5,USD,2026-11-20,2026-11-23,2026-11-20T14:00:05Z,ACC1,VENUE',
        'Q9,,,MSFT,SELL,7,3,USD,2026-11-20,2026-11-23,2026-11-20T14:30:00Z,ACC1,VENUE',
      ].join('\n') + '\n',
    );
    const r = await workbench([fixPath, '--confirmations', csvPath, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { by_class: Record<string, number>; breaks: { class: string; details: Record<string, unknown> }[] };
    expect(out.by_class).toEqual({ price_mismatch: 1, missing_in_counterparty: 1, missing_in_ours: 1 });
    const price = out.breaks.find((x) => x.class === 'price_mismatch')!;
    expect(price.details).toMatchObject({ trace: { method: 'exec_id', key_value: 'E2' } });
  });

  it('refuses bad usage with exit code 2', async () => {
    expect(() => parseBreaksArgs([])).toThrow(/at least one FIX file/);
    expect(() => parseBreaksArgs(['--as-of', '24/11/2026', 'x'])).toThrow(/yyyy-MM-dd/);
    const r = await workbench([path.join(dir, 'does-not-exist.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
});
