// The database door: hardening (DuckDB lockdown), exact types out, transactions.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteString } from '../../db/sql';
import { isoFromDuckDBTimestampTz, openDatabase, STORAGE_VERSION } from '../../db/open';
import { coreMigrationsDir, makeTempDir, openTempDb, type TempDb } from './temp-db';

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

  describe('storage format', () => {
    const formatOf = async (db: TempDb['db'], name: string) =>
      (await db.all<{ v: string }>(`SELECT map_extract_value(tags, 'storage_version') AS v FROM duckdb_databases() WHERE database_name = ?`, [name]))[0]?.v;

    it(`writes a new file in DuckDB's ${STORAGE_VERSION} format`, async () => {
      expect(await formatOf(t.db, 'workbench')).toBe(`${STORAGE_VERSION}+`);
    });

    it('opens a file of the older default format as it is, and keeps writing it', async () => {
      // A file as a build before this format wrote it (DuckDB's default, readable by v0.10.2 on).
      const file = path.join(t.dataDir, 'older.duckdb');
      await t.db.run(`ATTACH ${quoteString(file)} AS older (STORAGE_VERSION 'v0.10.2')`);
      await t.db.run(`CREATE TABLE older.t AS SELECT 1.25::DECIMAL(18,4) AS qty, 'a' AS s`);
      const before = await formatOf(t.db, 'older');
      await t.db.run('DETACH older');
      expect(before).toBe('v1.0.0+');
      const root = makeTempDir('wb-older-');
      const old = await openDatabase({ file, dataDir: t.dataDir, migrationsDir: coreMigrationsDir(root) });
      try {
        expect(await formatOf(old, 'older')).toBe('v1.0.0+');
        await old.run(`INSERT INTO t SELECT 2.5, 'b' FROM range(100000)`);
        await old.run('CHECKPOINT');
        expect(await old.all(`SELECT count(*)::INTEGER AS n, sum(qty)::VARCHAR AS q FROM t`)).toEqual([{ n: 100001, q: '250001.2500' }]);
        expect(await formatOf(old, 'older')).toBe('v1.0.0+');
      } finally {
        await old.close();
        rmSync(root, { recursive: true, force: true });
      }
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

  describe('exclusive (one connection and the write lock, statements committed one by one)', () => {
    it('commits each statement: what ran before a failure stays', async () => {
      await t.db.run('CREATE TABLE ex_autocommit (v INTEGER)');
      await expect(
        t.db.exclusive(async (held) => {
          await held.run('INSERT INTO ex_autocommit VALUES (1)');
          throw new Error('after the insert');
        }),
      ).rejects.toThrow('after the insert');
      expect(await t.db.all('SELECT v FROM ex_autocommit')).toEqual([{ v: 1 }]);
    });

    it('keeps one connection: temp tables and db calls made inside reach it', async () => {
      const n = await t.db.exclusive(async (held) => {
        await held.run('CREATE TEMP TABLE ex_temp AS SELECT range AS v FROM range(5)');
        // Routed to the held connection (a pooled one would not see the temp table).
        const [row] = await t.db.all<{ n: string }>('SELECT count(*) AS n FROM ex_temp');
        await held.run('DROP TABLE ex_temp');
        return row.n;
      });
      expect(n).toBe('5');
    });

    it('opens a transaction on the held connection: it sees the temp tables and rolls back only its own writes', async () => {
      await t.db.run('CREATE TABLE ex_tx (v INTEGER)');
      await t.db.exclusive(async (held) => {
        await held.run('CREATE TEMP TABLE ex_src AS SELECT 7 AS v');
        await held.run('INSERT INTO ex_tx VALUES (1)');
        await expect(
          held.transaction(async (tx) => {
            await tx.run('INSERT INTO ex_tx SELECT v FROM ex_src');
            // A call on held (or db) inside the transaction is part of it.
            await held.run('INSERT INTO ex_tx VALUES (8)');
            await t.db.transaction((inner) => inner.run('INSERT INTO ex_tx VALUES (9)'));
            await held.transaction((inner) => inner.run('INSERT INTO ex_tx VALUES (10)'));
            expect(await tx.all('SELECT count(*) AS n FROM ex_tx')).toEqual([{ n: '5' }]);
            throw new Error('undo the transaction');
          }),
        ).rejects.toThrow('undo the transaction');
        await held.transaction((tx) => tx.run('INSERT INTO ex_tx SELECT v + 1 FROM ex_src'));
        await held.run('DROP TABLE ex_src');
      });
      expect(await t.db.all('SELECT v FROM ex_tx ORDER BY v')).toEqual([{ v: 1 }, { v: 8 }]);
    });

    it('holds the write lock: a transaction started meanwhile runs after it', async () => {
      await t.db.run('CREATE TABLE ex_order (step VARCHAR)');
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const order: string[] = [];
      const exclusive = t.db.exclusive(async (held) => {
        await held.run(`INSERT INTO ex_order VALUES ('exclusive')`);
        await gate;
        order.push('exclusive done');
      });
      // Started from outside the exclusive call chain, as a promotion would be.
      await new Promise((r) => setTimeout(r, 20));
      const transaction = t.db.transaction(async (tx) => {
        await tx.run(`INSERT INTO ex_order VALUES ('transaction')`);
        order.push('transaction done');
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(order).toEqual([]);
      open();
      await Promise.all([exclusive, transaction]);
      expect(order).toEqual(['exclusive done', 'transaction done']);
    });

    it('inside a transaction, runs in it', async () => {
      await t.db.run('CREATE TABLE ex_in_tx (v INTEGER)');
      await expect(
        t.db.transaction(async () => {
          await t.db.exclusive((held) => held.run('INSERT INTO ex_in_tx VALUES (1)'));
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await t.db.all('SELECT count(*) AS n FROM ex_in_tx')).toEqual([{ n: '0' }]);
    });
  });
});
