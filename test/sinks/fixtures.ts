// Shared inputs of the sink tests: a small confirmations CSV with known good and bad rows, and
// a contract for it. Row by row (data records, 1-based):
//   1 E1 valid (a 20-digit decimal, a microsecond instant)
//   2 E2 valid (offset +02:00 → UTC)
//   3 E3 quarantined: type_mismatch (1e3), precision_exceeded, enum_invalid, format_invalid (Feb 30), timezone_required
//   4 E4 quarantined: null_not_allowed (quantity)
//   5 E5 valid (negative values, DST-day offset)
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export const CONFIRMATIONS_CSV = [
  'exec_id,cl_ord_id,symbol,side,quantity,price,trade_date,transact_time,account',
  'E1,C1,AAPL,BUY,100,12345678901234.123456,2024-01-02,2024-01-02T03:04:05.123456Z,ACC1',
  'E2,C2,MSFT,SELL,200,10.5,2024-01-02,2024-01-02T03:04:05+02:00,ACC2',
  'E3,C3,MSFT,HOLD,1e3,10.1234567,2024-02-30,2024-01-02T03:04:05,ACC3',
  'E4,C4,IBM,BUY,,1.0,2024-01-03,,ACC4',
  'E5,C5,IBM,SELL_SHORT,-5,-0.50,2024-01-03,2024-03-10T02:30:00-05:00,',
  '',
].join('\n');

export function confirmationsContract(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    parser_id: 'confirmations_csv',
    parser_version: '1.0.0',
    output: 'confirmations',
    mode: 'allow_extra',
    columns: [
      { name: 'exec_id', type: 'string', nullable: false },
      { name: 'quantity', type: 'int64', nullable: false },
      { name: 'price', type: { kind: 'decimal', precision: 20, scale: 6 }, nullable: false },
      { name: 'side', type: { kind: 'enum', values: ['BUY', 'SELL', 'SELL_SHORT'] }, nullable: false },
      { name: 'trade_date', type: 'date', nullable: false, format: 'yyyy-MM-dd' },
      { name: 'transact_time', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true, format: 'iso8601' },
    ],
    quarantine: { allow_quarantine: true, max_quarantine_pct: 50, max_quarantine_count: null },
    ...overrides,
  };
}

export async function writeFixture(dir: string, name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text, 'utf8');
  return file;
}
