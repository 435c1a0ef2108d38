// Keyset pagination of the break browser on a real DuckDB file: for each whitelisted sort, both
// directions, paging forward visits every filtered break exactly once in order, and paging back
// from any page returns the page before it. Plus the exports of the filtered set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseBreaks, decodeKeyset, type BreakSortColumn } from '../../db/breaks/break-browser-queries';
import { exportBreaksParquet } from '../../db/breaks/export-breaks-parquet';
import { openDatabase, type OpenDb } from '../../db/open';
import { exportBreaksCsv } from '../../lib/server/breaks/break-browser-service';
import { parseBreakBrowserQuery } from '../../lib/server/breaks/break-browser-query';

let dir: string;
let db: OpenDb;
const N = 23;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wb-browse-'));
  db = await openDatabase({ file: path.join(dir, 'workbench.duckdb'), dataDir: dir });
  for (let i = 0; i < N; i++) {
    // Ties on every sort key, nulls in nullable ones, a formula-looking ClOrdID.
    await db.run(
      `INSERT INTO breaks (break_id, class, family, match_key, cl_ord_id, chain_root, session, symbol, account, status, assignee, severity,
         notional, trade_date, age_days, details, evidence, first_seen, last_seen)
       VALUES (?, ?, 'lifecycle', ?, ?, ?, 'A|B', ?, ?, ?, ?, ?, ?::DECIMAL(38,10), ?::DATE, ?, '{}', '[]', ?::TIMESTAMPTZ, ?::TIMESTAMPTZ)`,
      [
        `${String(i).padStart(2, '0')}`.padEnd(64, 'a'),
        i % 3 === 0 ? 'overfill' : 'cum_qty_mismatch',
        `k${i}`,
        i === 5 ? '=cmd()' : `ORD-${i % 7}`,
        `ORD-${i % 7}`,
        i % 2 === 0 ? 'IBM' : null,
        'ACC',
        i % 4 === 0 ? 'resolved' : 'open',
        i % 5 === 0 ? null : 'analyst',
        ['low', 'medium', 'high', 'critical'][i % 4],
        i % 6 === 0 ? null : String(-50 + (i % 5) * 25.5),
        i % 3 === 0 ? null : `2024-01-0${1 + (i % 4)}`,
        i % 8 === 0 ? null : i % 6,
        `2024-01-02 10:00:0${i % 3}+00`,
        `2024-01-02 10:00:0${i % 3}+00`,
      ],
    );
  }
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const SORTS: BreakSortColumn[] = ['first_seen', 'trade_date', 'age_days', 'severity', 'notional', 'class', 'status', 'cl_ord_id', 'symbol', 'account', 'assignee'];

describe('browseBreaks', () => {
  for (const column of SORTS) {
    for (const desc of [false, true]) {
      it(`pages through every break once, sorted on ${column} ${desc ? 'desc' : 'asc'}, and back`, async () => {
        const sort = { column, desc };
        const full = await browseBreaks(db, { filters: {}, sort, limit: 100 });
        expect(full.items).toHaveLength(N);
        const pages = [];
        let after: string | null = null;
        do {
          const page = await browseBreaks(db, { filters: {}, sort, after: after ? decodeKeyset(after) : null, limit: 5 });
          pages.push(page);
          after = page.next_cursor;
        } while (after && pages.length < 20);
        expect(pages.flatMap((p) => p.items.map((b) => b.break_id))).toEqual(full.items.map((b) => b.break_id));
        expect(pages[0].prev_cursor).toBeNull();
        for (let i = 1; i < pages.length; i++) {
          const back = await browseBreaks(db, { filters: {}, sort, before: decodeKeyset(pages[i].prev_cursor as string), limit: 5 });
          expect(back.items.map((b) => b.break_id)).toEqual(pages[i - 1].items.map((b) => b.break_id));
          expect(back.next_cursor).not.toBeNull();
          expect(back.prev_cursor === null).toBe(i === 1);
        }
      });
    }
  }

  it('applies the filters (status, ClOrdID prefix)', async () => {
    const page = await browseBreaks(db, { filters: { statuses: ['open'], clOrdId: 'ORD-1*' }, sort: { column: 'first_seen', desc: true }, limit: 100 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const b of page.items) {
      expect(b.status).toBe('open');
      expect(b.chain_root?.startsWith('ORD-1') || b.cl_ord_id?.startsWith('ORD-1')).toBe(true);
    }
  });
});

describe('exports of the filtered set', () => {
  it('writes CSV with neutralised text and bare numbers', async () => {
    const stream = await exportBreaksCsv(parseBreakBrowserQuery({ sort: 'cl_ord_id', dir: 'asc' }), db);
    const text = await new Response(stream).text();
    const lines = text.trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['break_id', 'class', 'status']);
    expect(lines).toHaveLength(N + 1);
    expect(text).toContain(",'=cmd(),");
    expect(text).toMatch(/,-50\.0000000000,/);
  });

  for (const column of SORTS) {
    for (const desc of [false, true]) {
      it(`lists CSV rows in the browser's order, sorted on ${column} ${desc ? 'desc' : 'asc'} (ties, nulls), filters applied`, async () => {
        const dir = desc ? 'desc' : 'asc';
        for (const filters of [{}, { status: 'open' }]) {
          const stream = await exportBreaksCsv(parseBreakBrowserQuery({ sort: column, dir, ...filters }), db);
          const ids = (await new Response(stream).text()).trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0]);
          const browsed = await browseBreaks(db, { filters: 'status' in filters ? { statuses: ['open'] } : {}, sort: { column, desc }, limit: 100 });
          expect(ids).toEqual(browsed.items.map((b) => b.break_id));
        }
      });
    }
  }

  it('writes Parquet with the filtered rows', async () => {
    const file = await exportBreaksParquet(db, dir, { statuses: ['resolved'] });
    expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('PAR1');
    const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM read_parquet('${file.replace(/'/g, "''")}')`);
    expect(Number(rows[0].n)).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i % 4 === 0).length);
    rmSync(file);
  });
});
