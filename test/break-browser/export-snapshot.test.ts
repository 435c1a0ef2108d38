// The CSV export of breaks is one snapshot: a break-detection pass that rewrites the breaks while
// the file downloads does not show in it. Read as keyset pages (as it was until 2026-11-27), the
// file held the first thousand breaks of one pass and the rest of the next. Real DuckDB file,
// the route's real service; the "pass" here is the same kind of write (delete, insert) committed
// between two reads of the download.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDb } from '../../db/open';
import { exportBreaksCsv } from '../../lib/server/breaks/break-browser-service';
import { parseBreakBrowserQuery } from '../../lib/server/breaks/break-browser-query';

const N = 5000;
let dir: string;
let db: OpenDb;

/** Replaces every break with N breaks whose ids start with `tag` (what a pass's write does). */
async function writePass(tag: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(`DELETE FROM breaks`);
    await tx.run(
      `INSERT INTO breaks (break_id, class, family, match_key, cl_ord_id, chain_root, session, symbol, account, status, assignee, severity,
         notional, trade_date, age_days, details, evidence, first_seen, last_seen)
       SELECT ? || lpad(i::VARCHAR, 63, '0'), 'overfill', 'lifecycle', 'k' || i, 'ORD-' || i, 'ORD-' || i, 'A|B', 'IBM', 'ACC', 'open', NULL, 'high',
         1.5, DATE '2024-01-02', 1, '{}', '[]', TIMESTAMPTZ '2024-01-02 10:00:00+00' + i * INTERVAL 1 SECOND, TIMESTAMPTZ '2024-01-02 10:00:00+00'
       FROM range(?) r(i)`,
      [tag, N],
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wb-export-snapshot-'));
  db = await openDatabase({ file: path.join(dir, 'workbench.duckdb'), dataDir: dir });
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSV export of breaks during a pass', () => {
  for (const sort of ['first_seen', 'cl_ord_id'] as const) {
    it(`holds only the breaks of the pass it started on (sorted on ${sort})`, async () => {
      await writePass('a');
      const stream = await exportBreaksCsv(parseBreakBrowserQuery({ sort, dir: 'asc' }), db);
      const reader = stream.getReader();
      const dec = new TextDecoder();
      let text = '';
      // The header and the first chunk of rows, then the next pass commits.
      for (let i = 0; i < 2; i++) text += dec.decode((await reader.read()).value);
      await writePass('b');
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += dec.decode(value, { stream: true });
      }
      const ids = text.trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0]);
      expect(ids).toHaveLength(N);
      expect(new Set(ids).size).toBe(N);
      expect(ids.filter((id) => !id.startsWith('a'))).toEqual([]);
    });
  }

  it('a download left half read gives its connection back: the next pass and reads still run', async () => {
    await writePass('a');
    const stream = await exportBreaksCsv(parseBreakBrowserQuery({}), db);
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await writePass('c');
    expect((await db.all<{ n: string }>(`SELECT count(*) AS n FROM breaks WHERE break_id LIKE 'c%'`))[0].n).toBe(String(N));
  });
});
