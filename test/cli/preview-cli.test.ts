import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

// `workbench preview` run as users run it: a real child process through bin/workbench.mjs
// (which loads the TypeScript CLI with tsx), from a working directory outside the repository.

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'workbench.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'preview-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function preview(...args: string[]) {
  const env = { ...process.env };
  delete env.WORKBENCH_ROOT;
  const r = spawnSync(process.execPath, [bin, 'preview', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A FIX message with a correct BodyLength and CheckSum (SOH delimited). */
function fix(body: string): string {
  const soh = body.replaceAll('|', '\x01');
  const head = `8=FIX.4.4\x019=${Buffer.byteLength(soh)}\x01${soh}`;
  let sum = 0;
  for (const b of Buffer.from(head)) sum += b;
  return `${head}10=${String(sum % 256).padStart(3, '0')}\x01`;
}

const logon = fix('35=A|34=1|49=BUY|56=SELL|52=20240102-10:00:00.000|98=0|108=30|');
const order = fix('35=D|34=2|49=BUY|56=SELL|52=20240102-10:00:01.000|11=C1|55=IBM|54=1|38=100|40=2|44=123.45|60=20240102-10:00:01.000|');
const ack = fix('35=8|34=2|49=SELL|56=BUY|52=20240102-10:00:02.000|11=C1|37=O1|17=X1|150=0|39=0|55=IBM|54=1|38=100|14=0|151=100|6=0|60=20240102-10:00:02.000|');
const fill = fix('35=8|34=3|49=SELL|56=BUY|52=20240102-10:00:03.000|11=C1|37=O1|17=X2|150=F|39=2|55=IBM|54=1|38=100|32=100|31=123.45|14=100|151=0|6=123.45|60=20240102-10:00:03.000|');
// a heartbeat whose checksum is wrong: flagged, still a row
const heartbeat = fix('35=0|34=4|49=BUY|56=SELL|52=20240102-10:00:04.000|').replace(/10=(\d{3})\x01$/, (_m, d: string) => `10=${String((Number(d) + 1) % 256).padStart(3, '0')}\x01`);
const fixLog = [
  `2024-01-02 10:00:00.000 -> ${logon}`,
  `2024-01-02 10:00:01.000 -> ${order}`,
  `2024-01-02 10:00:02.000 <- ${ack}`,
  `2024-01-02 10:00:03.000 <- ${fill}`,
  `2024-01-02 10:00:04.000 -> ${heartbeat}`,
  // looks like FIX but has no MsgType: a parse error, its neighbours unharmed
  '2024-01-02 10:00:05.000 -> 8=FIX.4.4\x019=5\x0134=5\x0110=000\x01',
  '',
].join('\n');
const fixFile = path.join(dir, 'session.log');
writeFileSync(fixFile, fixLog);

const csv = '\ufeffExec ID;Symbol;Side;Quantity;Price;Trade Date\r\nX1;IBM;BUY;100;123.45;2024-01-02\r\nX2;"MSFT; Inc";SELL;50.5;;2024-01-03\r\nX3;bad\r\n';
const csvFile = path.join(dir, 'confirmations.csv');
writeFileSync(csvFile, csv);

describe('workbench preview (child process)', () => {
  it('previews a FIX log as one JSON document', () => {
    const r = preview(fixFile, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.parser).toMatchObject({ id: 'fix', version: '1.0.0' });
    expect(doc.parser.logic_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.detected).toBe(true);
    expect(doc.format).toBe('fix');
    expect(doc.delimiter).toBe('SOH');
    expect(doc.messages).toBe(5);
    expect(doc.msg_types).toEqual({ A: 1, D: 1, 8: 2, 0: 1 });
    expect(doc.integrity).toEqual({ body_length_mismatch: 0, checksum_mismatch: 1, missing_checksum: 0 });
    expect(doc.outputs.fix_order_events.rows).toBe(3);
    expect(doc.outputs.fix_session_events.rows).toBe(2);
    expect(doc.parse_errors).toEqual({ 'fix.missing_msg_type': 1 });
    expect(doc.outputs.fix_order_events.head).toHaveLength(3);
    expect(doc.outputs.fix_order_events.head[0]).toMatchObject({ msg_type: 'D', cl_ord_id: 'C1', price: '123.45', lifecycle_event: 'new_order' });
    // the span of a row is the exact bytes of its message
    const first = doc.outputs.fix_order_events.head[0];
    expect(Buffer.from(fixLog).subarray(first.source_offset, first.source_offset + first.source_length).toString()).toBe(order);
    const columns = Object.fromEntries(doc.outputs.fix_order_events.observed_schema.columns.map((c: { name: string; type: string }) => [c.name, c.type]));
    expect(columns.cl_ord_id).toBe('string');
    expect(columns.price).toBe('decimal');
  });

  it('previews a confirmations CSV with --head', () => {
    const r = preview(csvFile, '--json', '--head', '1');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.parser).toMatchObject({ id: 'confirmations_csv', version: '1.0.0' });
    expect(doc).toMatchObject({ format: 'csv', delimiter: ';', messages: 2, msg_types: {}, parse_errors: { 'csv.wrong_cell_count': 1 } });
    expect(doc.outputs).toEqual({ confirmations: expect.objectContaining({ rows: 2 }) });
    expect(doc.outputs.confirmations.head).toEqual([
      { exec_id: 'X1', symbol: 'IBM', side: 'BUY', quantity: '100', price: '123.45', trade_date: '2024-01-02', line_number: 2, message_index: 0, source_offset: Buffer.from(csv).indexOf('X1;IBM'), source_length: 32, __cf_row_id: 1 },
    ]);
    expect(doc.parse_error_head).toEqual([expect.objectContaining({ code: 'csv.wrong_cell_count', line_number: 4, raw: 'X3;bad' })]);
    const schema = Object.fromEntries(doc.outputs.confirmations.observed_schema.columns.map((c: { name: string; type: string; null_ratio: number }) => [c.name, [c.type, c.null_ratio]]));
    expect(schema).toEqual({
      exec_id: ['string', 0], symbol: ['string', 0], side: ['string', 0], quantity: ['decimal', 0], price: ['decimal', 0.5], trade_date: ['date', 0],
    });
  });

  it('prints a readable report without --json', () => {
    const r = preview(csvFile);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('format        csv, delimiter semicolon');
    expect(r.stdout).toContain('parse errors  csv.wrong_cell_count=1');
    expect(r.stdout).toContain('"symbol":"MSFT; Inc"');
    const f = preview(fixFile);
    expect(f.code).toBe(0);
    expect(f.stdout).toContain('msg types     0=1  8=2  A=1  D=1');
    expect(f.stdout).toContain('integrity     body_length_mismatch=0  checksum_mismatch=1  missing_checksum=0');
  });

  it('uses --parser instead of detection', () => {
    const r = preview(fixFile, '--parser', 'confirmations_csv', '--json', '--head', '0');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.parser.id).toBe('confirmations_csv');
    expect(doc.detected).toBe(false);
    expect(doc.outputs.confirmations.head).toEqual([]);
  });

  it('reads a gzipped file', () => {
    const gz = path.join(dir, 'confirmations.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from(csv)));
    const doc = JSON.parse(preview(gz, '--json').stdout);
    expect(doc).toMatchObject({ format: 'csv', messages: 2 });
  });

  it('exits non-zero with one line when the file cannot be read', () => {
    const missing = preview(path.join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trim().split('\n')).toEqual([`workbench preview: cannot read ${path.join(dir, 'nope.csv')}: no such file`]);

    const sub = path.join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    const isDir = preview(sub, '--json');
    expect(isDir.code).toBe(1);
    expect(isDir.stderr.trim().split('\n')).toEqual([`workbench preview: cannot read ${sub}: is a directory`]);

    const badGz = path.join(dir, 'broken.csv.gz');
    writeFileSync(badGz, 'this is not gzip');
    const corrupt = preview(badGz);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr.trim().split('\n')).toHaveLength(1);
    expect(corrupt.stderr).toContain(`cannot read ${badGz}`);

    const binary = path.join(dir, 'blob.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255]));
    const undetectable = preview(binary);
    expect(undetectable.code).toBe(1);
    expect(undetectable.stderr.trim().split('\n')).toHaveLength(1);
    expect(undetectable.stderr).toContain('cannot detect the format');
  });

  it('exits 2 on bad usage', () => {
    expect(preview().code).toBe(2);
    expect(preview(csvFile, '--parser', 'nope').code).toBe(2);
    expect(preview(csvFile, '--head', 'x').code).toBe(2);
    expect(preview(csvFile, '--bogus').code).toBe(2);
  });
});
