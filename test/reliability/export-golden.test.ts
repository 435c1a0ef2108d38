// The CSV export of breaks (exportBreaksCsv, the route's real service, over a real DuckDB file)
// compared byte for byte with test/reliability/golden/breaks-export.csv. The rows are built
// deterministically with hostile text in every text column (cells beginning = + - @ tab CR, and
// quotes, commas, line breaks) and negative / exact decimals in the numeric ones. Independently
// of the golden file, every text cell a spreadsheet would read as a formula must be neutralised
// with a leading quote and every numeric cell must be a bare number.
// Regenerate the golden file (then review its diff) with UPDATE_GOLDEN=1.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDb } from '../../db/open';
import { exportBreaksCsv } from '../../lib/server/breaks/break-browser-service';
import { parseBreakBrowserQuery } from '../../lib/server/breaks/break-browser-query';

const GOLDEN = path.join(__dirname, 'golden', 'breaks-export.csv');
const HOSTILE = ['=HYPERLINK("http://evil","x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=1,"2"\n3', 'plain', 'a=b', "'already"];
const NOTIONALS = ['-1250.5', '0', '1234567890123.0000000001', '-0.0000000001', null, '42'];
const NUMBER_COLUMNS = ['age_days', 'notional'];

let dir: string;
let db: OpenDb;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wb-export-golden-'));
  db = await openDatabase({ file: path.join(dir, 'workbench.duckdb'), dataDir: dir });
  for (let i = 0; i < 12; i++) {
    const h = (k: number) => HOSTILE[(i + k) % HOSTILE.length];
    await db.run(
      `INSERT INTO breaks (break_id, class, family, match_key, cl_ord_id, chain_root, session, symbol, account, status, assignee, severity,
         notional, trade_date, age_days, details, evidence, first_seen, last_seen)
       VALUES (?, ?, 'lifecycle', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::DECIMAL(38,10), ?::DATE, ?, ?, '[]', ?::TIMESTAMPTZ, ?::TIMESTAMPTZ)`,
      [
        String(i).padStart(2, '0').padEnd(64, 'b'),
        i % 2 === 0 ? 'overfill' : 'cum_qty_mismatch',
        `k${i}`,
        h(0),
        h(1),
        h(2),
        h(3),
        h(4),
        i % 3 === 0 ? 'resolved' : 'open',
        i % 4 === 0 ? null : h(5),
        ['low', 'medium', 'high', 'critical'][i % 4],
        NOTIONALS[i % NOTIONALS.length],
        `2024-01-${String(1 + (i % 9)).padStart(2, '0')}`,
        i % 5 === 0 ? null : i * 3,
        JSON.stringify({ note: h(6), qty: '-5' }),
        `2024-01-02 10:00:${String(i).padStart(2, '0')}+00`, // distinct: the export order (first_seen) is fixed
        `2024-01-02 10:00:${String(i).padStart(2, '0')}+00`,
      ],
    );
  }
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exportText(): Promise<Buffer> {
  const stream = await exportBreaksCsv(parseBreakBrowserQuery({ sort: 'first_seen', dir: 'asc' }), db);
  return Buffer.from(await new Response(stream).arrayBuffer());
}

describe('breaks CSV export', () => {
  it('matches the golden file byte for byte', async () => {
    const bytes = await exportText();
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, bytes);
    const golden = readFileSync(GOLDEN);
    expect(bytes.toString('utf8')).toBe(golden.toString('utf8'));
    expect(bytes.equals(golden)).toBe(true);
  });

  it('neutralises formula-looking text cells and keeps numeric columns numeric', async () => {
    const records: string[][] = parse(await exportText(), { relax_column_count: false });
    const [header, ...rows] = records;
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      row.forEach((cell, c) => {
        if (NUMBER_COLUMNS.includes(header[c])) {
          expect(cell, `${header[c]} is a bare number or empty`).toMatch(/^(-?\d+(\.\d+)?)?$/);
        } else {
          expect(cell, `${header[c]} cannot start a formula`).not.toMatch(/^[=+\-@\t\r]/);
        }
      });
    }
    // A negative notional stays a number, not a quoted text.
    expect(rows.map((r) => r[header.indexOf('notional')])).toContain('-1250.5000000000');
  });
});
