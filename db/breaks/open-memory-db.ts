import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { chunksOf, isoFromDuckDBTimestampTz, type Db } from '../open';

// An in-memory DuckDB behind the Db interface, for `workbench breaks` (no server, no file).
// One connection, statements serialised: temp tables and transactions see each other, and the
// same SQL as on the server database runs unchanged. Only the breaks migrations are applied.

export type MemoryDb = Db & { close(): Promise<void> };

const BREAKS_MIGRATIONS = ['003_breaks.sql', '006_breaks_speed.sql', '008_chain_message_cells.sql', '009_chain_member_keys.sql'].map((f) =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations', f),
);

export async function openMemoryDb(): Promise<MemoryDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  let queue: Promise<unknown> = Promise.resolve();
  // Serialises every call on the one connection.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  // held: a transaction or exclusive() holds the connection; their calls run at once.
  let held = false;
  let inTransaction = false;
  const begin = async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
    await conn.run('BEGIN TRANSACTION');
    inTransaction = true;
    try {
      const result = await fn(direct);
      await conn.run('COMMIT');
      return result;
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      inTransaction = false;
    }
  };
  const hold = <T>(fn: () => Promise<T>): Promise<T> =>
    serial(async () => {
      held = true;
      try {
        return await fn();
      } finally {
        held = false;
      }
    });
  const direct: Db = {
    all: <T>(sql: string, params?: unknown[]) => (held ? queryRows<T>(conn, sql, params) : serial(() => queryRows<T>(conn, sql, params))),
    run: (sql: string, params?: unknown[]) => (held ? execute(conn, sql, params) : serial(() => execute(conn, sql, params))),
    // One connection: the rows are read whole, then handed over in chunks.
    stream: <T>(sql: string, params?: unknown[]) => chunksOf(direct.all<T>(sql, params)),
    transaction: <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
      if (inTransaction) return fn(direct);
      // Inside exclusive(): BEGIN on the held connection.
      return held ? begin(fn) : hold(() => begin(fn));
    },
    exclusive: <T>(fn: (held: Db) => Promise<T>): Promise<T> => (held ? fn(direct) : hold(() => fn(direct))),
  };
  try {
    await direct.run(`SET TimeZone = 'UTC'`);
    for (const file of BREAKS_MIGRATIONS) await direct.run(readFileSync(file, 'utf8'));
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    throw e;
  }
  return {
    ...direct,
    async close() {
      await queue;
      conn.closeSync();
      instance.closeSync();
    },
  };
}

async function execute(conn: DuckDBConnection, sql: string, params?: unknown[]): Promise<void> {
  if (params && params.length > 0) await conn.run(sql, params as DuckDBValue[]);
  else await conn.run(sql);
}

async function queryRows<T>(conn: DuckDBConnection, sql: string, params?: unknown[]): Promise<T[]> {
  const reader = params && params.length > 0 ? await conn.runAndReadAll(sql, params as DuckDBValue[]) : await conn.runAndReadAll(sql);
  // JSON conversion keeps DECIMAL and BIGINT exact (as strings).
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  const names = reader.columnNames();
  const tz = reader.columnTypes().flatMap((t, i) => (t.typeId === DuckDBTypeId.TIMESTAMP_TZ ? [names[i]] : []));
  for (const row of rows) for (const n of tz) if (typeof row[n] === 'string') row[n] = isoFromDuckDBTimestampTz(row[n] as string);
  return rows as T[];
}
