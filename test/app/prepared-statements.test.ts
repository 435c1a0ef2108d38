// Parameterised statements outside a transaction reuse the pooled connection's prepared
// statement (db/prepared-statements.ts). What a caller gets must not change: each call's own
// values, errors for missing values, tables changed since the statement was prepared, several
// statements in one string.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREPARED_PER_CONNECTION, preparedCount, runPreparedAndReadAll } from '../../db/prepared-statements';
import { createSession, SESSION_TTL_MS, userForSessionToken } from '../../lib/server/auth/sessions';
import { createUser } from '../../lib/server/auth/users';
import { openTempDb, type TempDb } from './temp-db';

describe('prepared statements reused by the pool', () => {
  let t: TempDb;
  beforeAll(async () => {
    t = await openTempDb();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("answers each call with its own values, one after another and concurrently", async () => {
    const sql = 'SELECT ?::INTEGER * 2 AS v, ? AS s';
    for (let i = 0; i < 50; i++) expect(await t.db.all(sql, [i, `s${i}`])).toEqual([{ v: i * 2, s: `s${i}` }]);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => t.db.all(sql, [i, `c${i}`])));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => [{ v: i * 2, s: `c${i}` }]));
  });

  it('refuses a call with fewer values than parameters instead of running with the last call’s', async () => {
    const sql = 'SELECT ?::INTEGER AS a, ?::INTEGER AS b';
    expect(await t.db.all(sql, [1, 2])).toEqual([{ a: 1, b: 2 }]);
    await expect(t.db.all(sql, [3])).rejects.toThrow();
    expect(await t.db.all(sql, [4, 5])).toEqual([{ a: 4, b: 5 }]);
  });

  it('reads a table recreated with other columns since the statement was prepared', async () => {
    await t.db.run('CREATE TABLE recreated (id INTEGER, name VARCHAR)');
    await t.db.run('INSERT INTO recreated VALUES (?, ?)', [1, 'first']);
    const sql = 'SELECT * FROM recreated WHERE id = ?';
    expect(await t.db.all(sql, [1])).toEqual([{ id: 1, name: 'first' }]);
    await t.db.run('DROP TABLE recreated');
    await t.db.run('CREATE TABLE recreated (id INTEGER, qty DECIMAL(18, 4), name VARCHAR)');
    await t.db.run('INSERT INTO recreated VALUES (?, ?, ?)', [1, '2.5000', 'second']);
    expect(await t.db.all(sql, [1])).toEqual([{ id: 1, qty: '2.5000', name: 'second' }]);
  });

  it('refuses a session that expired after its lookup statement was prepared (current_timestamp is read per run)', async () => {
    await createUser(t.db, { username: 'expiring', password: 'pw-for-tests', roles: ['analyst'], actor: 'test' });
    // Expires 1.5 s from now.
    const session = await createSession(t.db, 'expiring', new Date(Date.now() - SESSION_TTL_MS + 1500));
    expect(await userForSessionToken(t.db, session.token)).toMatchObject({ username: 'expiring' });
    expect(await userForSessionToken(t.db, session.token)).toMatchObject({ username: 'expiring' });
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect(await userForSessionToken(t.db, session.token)).toBeNull();
  });

  it('runs several statements in one string with values, as unprepared', async () => {
    expect(await t.db.all('SELECT 1; SELECT ?::INTEGER + 1 AS v', [41])).toEqual([{ v: 42 }]);
  });

  it('keeps a bounded number of statements per connection, the most recently used', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn: DuckDBConnection = await instance.connect();
    try {
      const sqlOf = (i: number) => `SELECT ?::INTEGER + ${i} AS v`;
      for (let round = 0; round < 3; round++) {
        const rows = (await runPreparedAndReadAll(conn, sqlOf(0), [round])).getRowObjectsJson();
        expect(rows).toEqual([{ v: round }]);
      }
      expect(preparedCount(conn)).toBe(1);
      for (let i = 1; i <= MAX_PREPARED_PER_CONNECTION + 5; i++) {
        expect((await runPreparedAndReadAll(conn, sqlOf(i), [1])).getRowObjectsJson()).toEqual([{ v: 1 + i }]);
        // Statement 0 used again each time: the least recently used are the ones dropped.
        await runPreparedAndReadAll(conn, sqlOf(0), [7]);
      }
      expect(preparedCount(conn)).toBe(MAX_PREPARED_PER_CONNECTION);
      expect((await runPreparedAndReadAll(conn, sqlOf(0), [9])).getRowObjectsJson()).toEqual([{ v: 9 }]);
      expect(preparedCount(conn)).toBe(MAX_PREPARED_PER_CONNECTION);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
