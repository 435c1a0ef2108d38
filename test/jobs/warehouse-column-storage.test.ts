// The FIX parser's `fields` column (every tag=value as JSON) is stored with zstd where the
// database file's format has zstd for text; every other column keeps DuckDB's own choice, a file
// of the older format keeps it for `fields` too, and values read back are the same either way.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/open';
import { quoteString } from '../../db/sql';
import { ensureTable, textCompressionAvailable, WarehouseSchemaError } from '../../db/jobs/warehouse-tables';
import { duckdbTypeOf } from '../../lib/contracts';
import { FIX_OUTPUTS, ORDER_EVENT_COLUMNS, SESSION_EVENT_COLUMNS } from '../../lib/fix/fix-output-columns';
import { columnCompressionOf } from '../../lib/server/jobs/warehouse-columns';
import { coreMigrationsDir, makeTempDir, openTempDb, type TempDb } from '../app/temp-db';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob } from './job-harness';

/** Compression of each column's segments, after a checkpoint has written them. */
async function compressionOf(db: Db, table: string): Promise<Record<string, string[]>> {
  await db.run('CHECKPOINT');
  const rows = await db.all<{ column_name: string; compression: string }>(
    `SELECT DISTINCT column_name, compression FROM pragma_storage_info(${quoteString(table)})
     WHERE segment_type = 'VARCHAR' ORDER BY ALL`,
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.column_name] ??= []).push(r.compression);
  return out;
}

describe('storage of the FIX outputs\' fields column', () => {
  it('names a text column that both FIX data outputs have', () => {
    for (const [output, columns] of [[FIX_OUTPUTS.orderEvents, ORDER_EVENT_COLUMNS], [FIX_OUTPUTS.sessionEvents, SESSION_EVENT_COLUMNS]] as const) {
      const asked = columns.filter((c) => columnCompressionOf('fix', output, c.name) !== null);
      expect(asked.map((c) => [c.name, duckdbTypeOf(c.type)])).toEqual([['fields', 'VARCHAR']]);
    }
    expect(columnCompressionOf('confirmations_csv', FIX_OUTPUTS.orderEvents, 'fields')).toBeNull();
  });

  it('stores fields with zstd in a promoted FIX job, and the other text columns as DuckDB chooses', async () => {
    const { env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 100 });
    try {
      await dispatcher.start();
      const upload = await uploadFile(env, buildFixLog({ orders: 400 }), { kind: 'fix', filename: 'storage.fix' });
      const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
      expect(job.status).toBe('SUCCESS');
      const byColumn = await compressionOf(env.db, FIX_OUTPUTS.orderEvents);
      expect(byColumn.fields).toEqual(['ZSTD']);
      const others = Object.entries(byColumn).filter(([name]) => name !== 'fields');
      expect(others.length).toBeGreaterThan(10);
      for (const [name, methods] of others) expect({ name, zstd: methods.includes('ZSTD') }).toEqual({ name, zstd: false });
      const sample = await env.db.all<{ fields: string; cl_ord_id: string }>(
        `SELECT fields, cl_ord_id FROM fix_order_events WHERE msg_type = 'D' ORDER BY message_index LIMIT 1`,
      );
      expect(JSON.parse(sample[0].fields)).toContainEqual([11, sample[0].cl_ord_id]);
    } finally {
      await dispatcher.stop();
      await env.cleanup();
    }
  });

  describe('ensureTable', () => {
    let t: TempDb;
    beforeAll(async () => {
      t = await openTempDb();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('applies a compression where the file has it, to a created table and an added column', async () => {
      expect(await textCompressionAvailable(t.db)).toBe(true);
      await ensureTable(t.db, 'docs', [{ name: 'id', sqlType: 'VARCHAR' }, { name: 'doc', sqlType: 'VARCHAR', compression: 'zstd' }]);
      await ensureTable(t.db, 'docs', [
        { name: 'id', sqlType: 'VARCHAR' }, { name: 'doc', sqlType: 'VARCHAR', compression: 'zstd' }, { name: 'more', sqlType: 'VARCHAR', compression: 'zstd' },
      ]);
      await t.db.run(`INSERT INTO docs SELECT 'id-' || range, '{"n":' || range || ',"pad":"' || repeat('x', 40) || '"}', 'm' || range FROM range(50000)`);
      expect(await compressionOf(t.db, 'docs')).toEqual({ doc: ['ZSTD'], more: ['ZSTD'], id: expect.not.arrayContaining(['ZSTD']) });
      expect(await t.db.all(`SELECT doc FROM docs WHERE id = 'id-49999'`)).toEqual([{ doc: `{"n":49999,"pad":"${'x'.repeat(40)}"}` }]);
    });

    it('refuses a compression on a column that is not text', async () => {
      const refused = ensureTable(t.db, 'typed', [{ name: 'qty', sqlType: 'DECIMAL(24,8)', compression: 'zstd' }]);
      await expect(refused).rejects.toBeInstanceOf(WarehouseSchemaError);
      await expect(refused).rejects.toMatchObject({ code: 'promotion.bad_type' });
    });

    it("keeps DuckDB's own choice in a file of the older format, which has no zstd for text", async () => {
      // Created in the open database's data directory, the only place it may write.
      const file = path.join(t.dataDir, 'older-storage.duckdb');
      const root = makeTempDir('wb-older-');
      await t.db.run(`ATTACH ${quoteString(file)} AS older_storage (STORAGE_VERSION 'v0.10.2')`);
      await t.db.run('DETACH older_storage');
      const old = await openDatabase({ file, dataDir: t.dataDir, migrationsDir: coreMigrationsDir(root) });
      try {
        expect(await textCompressionAvailable(old)).toBe(false);
        await ensureTable(old, 'docs', [{ name: 'doc', sqlType: 'VARCHAR', compression: 'zstd' }]);
        await old.run(`INSERT INTO docs SELECT '{"n":' || range || ',"pad":"' || repeat('x', 40) || '"}' FROM range(50000)`);
        const methods = (await compressionOf(old, 'docs')).doc;
        expect(methods).not.toContain('ZSTD');
        expect(methods).not.toContain('Uncompressed');
      } finally {
        await old.close();
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
