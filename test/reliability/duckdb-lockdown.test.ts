// DuckDB lockdown from the server's own connection (db/open.ts openDatabase on a temp data dir).
// test/app/db-open.test.ts already covers: read_csv outside, '..' escapes, COPY TO another path,
// ATTACH outside, INSTALL, LOAD, SET enable_external_access / allowed_directories /
// lock_configuration / autoload_known_extensions, the reported settings, and Parquet written and
// read inside the data directory. This file adds the cases it does not: the other file readers
// and replacement scans, a sibling directory sharing the data dir's prefix, a symlink planted
// inside the data dir, EXPORT DATABASE / COPY FROM DATABASE, RESET and SET GLOBAL forms, the
// extension settings, and the same refusals inside a transaction's dedicated connection.
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteString } from '../../db/sql';
import { makeTempDir, openTempDb, type TempDb } from '../app/temp-db';

const REFUSED = /Permission Error|the configuration has been locked|disabled through configuration/;

describe('DuckDB lockdown (cases beyond test/app/db-open.test.ts)', () => {
  let t: TempDb;
  let outsideDir: string;
  let secret: string;
  let sibling: string;
  beforeAll(async () => {
    t = await openTempDb();
    outsideDir = makeTempDir('wb-lockdown-outside-');
    secret = path.join(outsideDir, 'secret.csv');
    writeFileSync(secret, 'a,b\n1,2\n');
    writeFileSync(path.join(outsideDir, 'secret.json'), '{"a":1}\n');
    // data dir = <root>/data; a sibling <root>/data-evil shares its prefix but not its path.
    sibling = `${t.dataDir}-evil`;
    mkdirSync(sibling, { recursive: true });
    writeFileSync(path.join(sibling, 'x.csv'), 'a\n1\n');
    // A real Parquet file outside: written inside (allowed), then moved out by the file system.
    const inside = path.join(t.dataDir, 'to-move.parquet');
    await t.db.run(`COPY (SELECT 42 AS v) TO ${quoteString(inside)} (FORMAT parquet)`);
    copyFileSync(inside, path.join(outsideDir, 'secret.parquet'));
    rmSync(inside);
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(outsideDir, { recursive: true, force: true });
    rmSync(sibling, { recursive: true, force: true });
  });

  const q = (p: string) => quoteString(p);
  const cases: [string, () => string][] = [
    ['read_text outside', () => `SELECT * FROM read_text(${q(secret)})`],
    ['read_blob of /etc/passwd', () => `SELECT * FROM read_blob('/etc/passwd')`],
    ['read_json outside', () => `SELECT * FROM read_json(${q(path.join(outsideDir, 'secret.json'))})`],
    ['read_parquet outside', () => `SELECT * FROM read_parquet(${q(path.join(outsideDir, 'secret.parquet'))})`],
    ['glob outside', () => `SELECT * FROM glob(${q(path.join(outsideDir, '*'))})`],
    ['a replacement scan of an outside path', () => `SELECT * FROM ${q(secret)}`],
    ['reading a sibling directory sharing the prefix', () => `SELECT * FROM read_csv(${q(path.join(sibling, 'x.csv'))})`],
    ['COPY TO a sibling directory sharing the prefix', () => `COPY (SELECT 1) TO ${q(path.join(sibling, 'out.csv'))}`],
    ['COPY FROM an outside file', () => `CREATE TABLE lk_in (a INTEGER, b INTEGER); COPY lk_in FROM ${q(secret)}`],
    ['EXPORT DATABASE outside', () => `EXPORT DATABASE ${q(path.join(outsideDir, 'dump'))}`],
    ['ATTACH a new file outside', () => `ATTACH ${q(path.join(outsideDir, 'new.duckdb'))} AS lk_other`],
    ['RESET enable_external_access', () => 'RESET enable_external_access'],
    ['RESET lock_configuration', () => 'RESET lock_configuration'],
    ['SET GLOBAL enable_external_access', () => 'SET GLOBAL enable_external_access = true'],
    ['SET allowed_paths', () => `SET allowed_paths = [${q(secret)}]`],
    ['SET allow_unsigned_extensions', () => 'SET allow_unsigned_extensions = true'],
    ['SET allow_community_extensions', () => 'SET allow_community_extensions = true'],
    ['SET autoinstall_known_extensions', () => 'SET autoinstall_known_extensions = true'],
    ['SET extension_directory', () => `SET extension_directory = ${q(outsideDir)}`],
    ['SET custom_extension_repository', () => `SET custom_extension_repository = 'http://127.0.0.1:1/'`],
    ['SET temp_directory outside', () => `SET temp_directory = ${q(outsideDir)}`],
    ['FORCE INSTALL', () => 'FORCE INSTALL httpfs'],
    ['LOAD from a path', () => `LOAD ${q(path.join(outsideDir, 'evil.duckdb_extension'))}`],
  ];

  for (const [what, sql] of cases) {
    it(`refuses ${what}`, async () => {
      const err = await t.db.run(sql()).then(() => null, (e: unknown) => e as Error);
      expect(err, 'the statement must fail').not.toBeNull();
      if (process.env.LOCKDOWN_DEBUG) console.log(what, '→', err!.message.split('\n')[0]);
      expect(err!.message).toMatch(REFUSED);
    });
  }

  it('refuses reading through a symlink planted inside the data directory', async () => {
    const link = path.join(t.dataDir, 'planted-link.csv');
    symlinkSync(secret, link);
    try {
      await expect(t.db.all(`SELECT * FROM read_csv(${q(link)})`)).rejects.toThrow(REFUSED);
    } finally {
      rmSync(link, { force: true });
    }
  });

  it('refuses the same inside a transaction (its own connection) and stays locked after', async () => {
    await expect(t.db.transaction((tx) => tx.all(`SELECT * FROM read_csv(${q(secret)})`))).rejects.toThrow(REFUSED);
    await expect(t.db.transaction((tx) => tx.run('SET enable_external_access = true'))).rejects.toThrow(REFUSED);
    const [s] = await t.db.all(`SELECT current_setting('enable_external_access') AS ext, current_setting('lock_configuration') AS locked`);
    expect(s).toEqual({ ext: false, locked: true });
  });

  it('still writes and reads Parquet inside the data directory (nested folder, glob)', async () => {
    const dir = path.join(t.dataDir, 'lockdown', 'nested');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'p.parquet');
    await t.db.run(`COPY (SELECT 'x' AS s, 12.5::DECIMAL(18,4) AS qty) TO ${q(file)} (FORMAT parquet)`);
    expect(await t.db.all(`SELECT s, qty FROM read_parquet(${q(path.join(t.dataDir, 'lockdown', '*', '*.parquet'))})`)).toEqual([{ s: 'x', qty: '12.5000' }]);
  });
});
