// The database door: hardening (DuckDB lockdown), exact types out, transactions.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteString } from '../../db/sql';
import { isoFromDuckDBTimestampTz } from '../../db/open';
import { makeTempDir, openTempDb, type TempDb } from './temp-db';

describe('openDatabase', () => {
  let t: TempDb;
  let outside: string;
  beforeAll(async () => {
    t = await openTempDb();
    outside = path.join(makeTempDir('wb-outside-'), 'secret.csv');
    writeFileSync(outside, 'a,b\n1,2\n');
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(path.dirname(outside), { recursive: true, force: true });
  });

  describe('lockdown', () => {
    it('reads and writes Parquet inside the data directory', async () => {
      await t.db.run(`COPY (SELECT 1.25::DECIMAL(18,4) AS qty) TO ${quoteString(path.join(t.dataDir, 'x.parquet'))} (FORMAT parquet)`);
      expect(await t.db.all(`SELECT qty FROM read_parquet(${quoteString(path.join(t.dataDir, 'x.parquet'))})`)).toEqual([{ qty: '1.2500' }]);
    });

    const refused: [string, (dir: string, outside: string) => string][] = [
      ['reading a file outside', (_d, o) => `SELECT * FROM read_csv(${quoteString(o)})`],
      ['reading outside through ..', (d, o) => `SELECT * FROM read_csv(${quoteString(path.join(d, '..', '..', path.relative('/', o)))})`],
      ['COPY to another path', (_d, o) => `COPY (SELECT 1) TO ${quoteString(o + '.out.csv')}`],
      ['ATTACH outside', (_d, o) => `ATTACH ${quoteString(o + '.duckdb')} AS other`],
      ['INSTALL', () => 'INSTALL httpfs'],
      ['LOAD', () => 'LOAD httpfs'],
      ['re-enabling external access', () => 'SET enable_external_access = true'],
      ['widening allowed_directories', () => "SET allowed_directories = ['/']"],
      ['unlocking the configuration', () => 'SET lock_configuration = false'],
      ['turning autoload back on', () => 'SET autoload_known_extensions = true'],
    ];
    for (const [what, sql] of refused) {
      it(`refuses ${what}`, async () => {
        await expect(t.db.run(sql(t.dataDir, outside))).rejects.toThrow(/Permission Error|locked|disabled|Cannot/);
      });
    }

    it('reports the locked settings', async () => {
      const [s] = await t.db.all(
        `SELECT current_setting('enable_external_access') AS ext, current_setting('lock_configuration') AS locked,
                current_setting('autoinstall_known_extensions') AS autoinstall, current_setting('autoload_known_extensions') AS autoload`,
      );
      expect(s).toEqual({ ext: false, locked: true, autoinstall: false, autoload: false });
    });
  });

  describe('values', () => {
    it('returns DECIMAL, BIGINT and HUGEINT as exact strings and TIMESTAMPTZ as ISO UTC', async () => {
      const [row] = await t.db.all(
        `SELECT ?::DECIMAL(24,10) AS price, 9007199254740993::BIGINT AS big, 170141183460469231731687303715884105727::HUGEINT AS huge,
                '2024-03-10 01:02:03.123456+00'::TIMESTAMPTZ AS ts, '2024-03-10'::DATE AS d, 7::INTEGER AS i, ? AS s, ? AS n`,
        ['12345678901234.0000000001', "it's", null],
      );
      expect(row).toEqual({
        price: '12345678901234.0000000001',
        big: '9007199254740993',
        huge: '170141183460469231731687303715884105727',
        ts: '2024-03-10T01:02:03.123456Z',
        d: '2024-03-10',
        i: 7,
        s: "it's",
        n: null,
      });
    });

    it('binds parameters, never interpolates them', async () => {
      const evil = "x'); DROP TABLE users; --";
      expect(await t.db.all('SELECT ? AS v', [evil])).toEqual([{ v: evil }]);
      expect(await t.db.all('SELECT count(*) AS n FROM users')).toEqual([{ n: '0' }]);
    });

    it('refuses parameters it cannot bind exactly', async () => {
      await expect(t.db.all('SELECT ? AS v', [{ a: 1 }])).rejects.toThrow(/db.bad_parameter/);
      await expect(t.db.all('SELECT ? AS v', [Number.NaN])).rejects.toThrow(/db.bad_parameter/);
    });

    it('converts DuckDB timestamptz text to ISO', () => {
      expect(isoFromDuckDBTimestampTz('2024-01-02 03:04:05+00')).toBe('2024-01-02T03:04:05Z');
      expect(isoFromDuckDBTimestampTz('2024-01-02 03:04:05.5+05:30')).toBe('2024-01-02T03:04:05.5+05:30');
      expect(isoFromDuckDBTimestampTz('infinity')).toBe('infinity');
    });
  });

  describe('transactions', () => {
    it('commits on success and rolls back on error', async () => {
      await t.db.run('CREATE TABLE tx_test (v INTEGER)');
      await t.db.transaction(async (tx) => tx.run('INSERT INTO tx_test VALUES (1)'));
      await expect(
        t.db.transaction(async (tx) => {
          await tx.run('INSERT INTO tx_test VALUES (2)');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await t.db.all('SELECT v FROM tx_test ORDER BY v')).toEqual([{ v: 1 }]);
    });

    it('joins a nested transaction and routes db calls made inside to the open transaction', async () => {
      await t.db.run('CREATE TABLE tx_nested (v INTEGER)');
      await expect(
        t.db.transaction(async (tx) => {
          await t.db.run('INSERT INTO tx_nested VALUES (1)');
          await t.db.transaction(async (inner) => inner.run('INSERT INTO tx_nested VALUES (2)'));
          expect(await tx.all('SELECT count(*) AS n FROM tx_nested')).toEqual([{ n: '2' }]);
          throw new Error('undo all');
        }),
      ).rejects.toThrow('undo all');
      expect(await t.db.all('SELECT count(*) AS n FROM tx_nested')).toEqual([{ n: '0' }]);
    });

    it('serialises concurrent transactions instead of failing them on write conflicts', async () => {
      await t.db.run('CREATE TABLE tx_counter (id INTEGER PRIMARY KEY, n INTEGER)');
      await t.db.run('INSERT INTO tx_counter VALUES (1, 0)');
      await Promise.all(
        Array.from({ length: 10 }, () =>
          t.db.transaction(async (tx) => {
            const [{ n }] = await tx.all<{ n: number }>('SELECT n FROM tx_counter WHERE id = 1');
            await tx.run('UPDATE tx_counter SET n = ? WHERE id = 1', [n + 1]);
          }),
        ),
      );
      expect(await t.db.all('SELECT n FROM tx_counter')).toEqual([{ n: 10 }]);
    });
  });
});
