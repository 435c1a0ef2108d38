import { pathToFileURL } from 'node:url';
import { defaultContractFor } from '../lib/contracts/default-contract';
import { ORDER_EVENT_COLUMNS } from '../lib/fix/fix-output-columns';
import type { ParserRow } from '../lib/parsers/parser-types';
import { compileValidator } from '../lib/pipeline/compile-validator';
import { createOutputSplitter } from '../lib/pipeline/output-splitter';

// Micro-benchmark of the pure core: validate + split + lineage + result hash on synthetic
// fix_order_events rows (every column of the real contract, FIX-shaped text values, ~1 % of the
// rows carrying a bad value). No parsing, no Parquet: H4's `npm run bench -- validate` adds those.
// Standalone: `npx tsx bench/validate-core.ts [rows]`.

export interface ValidateCoreResult {
  rows: number;
  valid_rows: number;
  quarantine_rows: number;
  /** wall-clock seconds */
  seconds: number;
  rows_per_sec: number;
  /** CPU seconds of this process (user + system); less disturbed by a busy machine than wall time */
  cpu_seconds: number;
  rows_per_cpu_sec: number;
  /** validation alone (compiled validator, no split / lineage / result hash), rows per CPU second */
  validate_only_rows_per_cpu_sec: number;
  columns: number;
}

const SIDES = ['1', '2', '5'];
const EVENTS = ['new_order', 'ack', 'partial_fill', 'fill', 'canceled'];

export function syntheticRows(count: number): ParserRow[] {
  const rows: ParserRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const sec = String(i % 60).padStart(2, '0');
    const ms = String(i % 1000).padStart(3, '0');
    const ts = `20240315-13:${String((i >> 6) % 60).padStart(2, '0')}:${sec}.${ms}`;
    rows[i] = {
      line_number: i + 1,
      message_index: i,
      source_offset: i * 220,
      source_length: 219,
      __cf_row_id: i,
      begin_string: 'FIX.4.4',
      msg_type: '8',
      msg_seq_num: String(i + 1),
      sender_comp_id: 'BROKER',
      target_comp_id: 'CLIENT',
      sending_time: ts,
      poss_dup_flag: null,
      poss_resend: null,
      orig_sending_time: null,
      cl_ord_id: `C${i}`,
      orig_cl_ord_id: null,
      order_id: `O${i >> 2}`,
      secondary_order_id: null,
      exec_id: `X${i}`,
      exec_ref_id: null,
      exec_trans_type: null,
      exec_type: 'F',
      ord_status: '2',
      side: SIDES[i % 3],
      symbol: 'AAPL',
      security_id: null,
      security_id_source: null,
      order_qty: '1000',
      ord_type: '2',
      // ~1 % bad prices: exponent notation → type_mismatch → quarantine
      price: i % 100 === 99 ? '1.5e2' : `${100 + (i % 50)}.${String(i % 10000).padStart(4, '0')}`,
      time_in_force: '0',
      last_qty: String(i % 500),
      last_px: `${100 + (i % 50)}.25`,
      cum_qty: String(i % 1000),
      leaves_qty: String(1000 - (i % 1000)),
      avg_px: '101.123456',
      currency: 'USD',
      account: 'ACC1',
      last_mkt: 'XNAS',
      trade_date: '20240315',
      settl_date: '20240319',
      transact_time: ts,
      text: null,
      ord_rej_reason: null,
      cxl_rej_reason: null,
      cxl_rej_response_to: null,
      trade_report_id: null,
      trd_match_id: null,
      lifecycle_event: EVENTS[i % 5],
      body_length_ok: true,
      checksum_ok: true,
      checksum_present: true,
      duplicate_tags: null,
      fields: '[[8,"FIX.4.4"],[35,"8"]]',
    };
  }
  return rows;
}

export function benchValidateCore(rows: number): ValidateCoreResult {
  const contract = defaultContractFor({ id: 'fix', version: '1.0.0', outputs: [{ name: 'fix_order_events', description: '', columns: ORDER_EVENT_COLUMNS }] }, 'fix_order_events');
  const batchSize = 4096;
  // Rows are generated once per batch shape and reused, so generation is not measured.
  const batch = syntheticRows(Math.min(rows, 65536));
  const validator = compileValidator(contract);
  const splitter = createOutputSplitter({
    contract,
    validator,
    lineage: { sourceHash: '0'.repeat(64), jobId: 'bench', processedAt: new Date(), parserVersion: '1.0.0', contractHash: '1'.repeat(64) },
  });
  let done = 0;
  let valid = 0;
  let quarantine = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  while (done < rows) {
    const start = done % batch.length;
    const n = Math.min(batchSize, rows - done, batch.length - start);
    const out = splitter.push(batch.slice(start, start + n));
    valid += out.valid.length;
    quarantine += out.quarantine.length;
    done += n;
  }
  splitter.stats();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;

  const sink = { violations: null as unknown };
  const c1 = process.cpuUsage();
  for (let i = 0; i < rows; i++) validator.validateRow(batch[i % batch.length], sink as never);
  const cv = process.cpuUsage(c1);
  const validateOnly = Math.round(rows / ((cv.user + cv.system) / 1e6));
  return {
    rows,
    valid_rows: valid,
    quarantine_rows: quarantine,
    seconds,
    rows_per_sec: Math.round(rows / seconds),
    cpu_seconds: cpuSeconds,
    rows_per_cpu_sec: Math.round(rows / cpuSeconds),
    validate_only_rows_per_cpu_sec: validateOnly,
    columns: contract.columns.length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 200_000);
  console.log(JSON.stringify(benchValidateCore(n)));
}
