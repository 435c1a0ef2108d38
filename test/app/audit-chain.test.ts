// The audit log: appended in the caller's transaction (fail closed), chained by hashes, and
// verification names the first altered, reordered or missing entry — tampering is done on a
// copy of the database file, the way an auditor would check a backup.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open';
import { appendAudit } from '../../lib/server/audit/append-audit';
import { canonicalAuditJson, GENESIS_HASH } from '../../lib/server/audit/audit-entry';
import { verifyAuditChain } from '../../lib/server/audit/verify-audit-chain';
import { coreMigrationsDir, makeTempDir, openTempDb, type TempDb } from './temp-db';

describe('audit log', () => {
  let t: TempDb;
  beforeAll(async () => {
    t = await openTempDb();
    for (let i = 1; i <= 5; i++) {
      await t.db.transaction((tx) =>
        appendAudit(tx, { actor: 'ops', action: 'test.event', subject: `thing:${i}`, details: { i, price: '101.2500', z: null, a: [1, 'x'] } }),
      );
    }
  });
  afterAll(async () => t.cleanup());

  it('chains entries from the genesis hash and verifies', async () => {
    const rows = await t.db.all<{ seq: string; prev_hash: string; hash: string; details: string }>(
      'SELECT seq, prev_hash, hash, details FROM audit_log ORDER BY seq',
    );
    expect(rows.map((r) => r.seq)).toEqual(['1', '2', '3', '4', '5']);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(rows[0].details).toBe('{"a":[1,"x"],"i":1,"price":"101.2500","z":null}');
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 5 });
  });

  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalAuditJson({ b: { d: 1, c: [{ y: 1, x: 2 }] }, a: undefined, e: 10n })).toBe('{"b":{"c":[{"x":2,"y":1}],"d":1},"e":"10"}');
  });

  it('a failed audit write fails the change it records', async () => {
    await t.db.run('CREATE TABLE audited_change (v INTEGER)');
    await expect(
      t.db.transaction(async (tx) => {
        await tx.run('INSERT INTO audited_change VALUES (1)');
        await appendAudit(tx, { actor: '', action: 'x.y', subject: 's' });
      }),
    ).rejects.toThrow(/audit.bad_entry/);
    expect(await t.db.all('SELECT count(*) AS n FROM audited_change')).toEqual([{ n: '0' }]);
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 5 });
  });

  it('orders appends across transactions: a long serialised one does not block a short unserialised one, and the chain holds', async () => {
    let letGo!: () => void;
    const held = new Promise<void>((r) => (letGo = r));
    let longStarted!: () => void;
    const started = new Promise<void>((r) => (longStarted = r));
    const long = t.db.transaction(async (tx) => {
      await tx.run('CREATE TABLE long_work (v INTEGER)');
      longStarted();
      await held; // a long promotion or break detection, holding the write lock
      await appendAudit(tx, { actor: 'system', action: 'test.long', subject: 'long' });
      await appendAudit(tx, { actor: 'system', action: 'test.long_second', subject: 'long' });
    });
    await started;
    // Ten short audit-only transactions, concurrently, while the long one is open.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.db.transaction((tx) => appendAudit(tx, { actor: 'ops', action: 'test.short', subject: `short:${i}` }), { serialize: false }),
      ),
    );
    letGo();
    await long;
    const rows = await t.db.all<{ action: string }>('SELECT action FROM audit_log WHERE seq > 5 ORDER BY seq');
    expect(rows.map((r) => r.action)).toEqual([...Array(10).fill('test.short'), 'test.long', 'test.long_second']);
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 17 });
  });

  describe('tampering, on a copy of the database file', () => {
    const tampered = async (sql: string) => {
      const root = makeTempDir('wb-audit-copy-');
      const dataDir = path.join(root, 'data');
      await t.db.run('CHECKPOINT');
      mkdirSync(dataDir, { recursive: true });
      copyFileSync(path.join(t.dataDir, 'workbench.duckdb'), path.join(dataDir, 'workbench.duckdb'));
      const copy = await openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir, migrationsDir: coreMigrationsDir(root) });
      try {
        await copy.run(sql);
        return await verifyAuditChain(copy);
      } finally {
        await copy.close();
        rmSync(root, { recursive: true, force: true });
      }
    };

    it('names an entry whose details were altered', async () => {
      expect(await tampered(`UPDATE audit_log SET details = '{"i":999}' WHERE seq = 3`)).toEqual({
        ok: false,
        entries: 2,
        first_bad_seq: 3,
        reason: 'hash_mismatch',
      });
    });

    it('names an entry whose actor was altered even when its hash is recomputed naively', async () => {
      const r = await tampered(`UPDATE audit_log SET actor = 'admin', hash = sha256(prev_hash || 'forged') WHERE seq = 2`);
      expect(r).toMatchObject({ ok: false, first_bad_seq: 2, reason: 'hash_mismatch' });
    });

    it('names the gap left by a deleted entry', async () => {
      expect(await tampered('DELETE FROM audit_log WHERE seq = 4')).toMatchObject({ ok: false, first_bad_seq: 4, reason: 'seq_gap' });
    });

    it('names a changed timestamp', async () => {
      expect(await tampered(`UPDATE audit_log SET "at" = "at" - INTERVAL 1 HOUR WHERE seq = 5`)).toMatchObject({
        ok: false,
        first_bad_seq: 5,
        reason: 'hash_mismatch',
      });
    });

    it('the original still verifies', async () => {
      expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 17 });
    });
  });
});
