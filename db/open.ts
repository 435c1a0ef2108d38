// The one door to data/workbench.duckdb. The server process owns the file (DESIGN.md, "Processes");
// workers never open it. Everything here is about keeping that single owner safe:
// - one DuckDBInstance per process, cached on globalThis (see getDb);
// - hardened before any caller gets it (see hardenInstance);
// - values only as bound parameters; DECIMAL/BIGINT/HUGEINT read back as exact strings.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBTypeId, type DuckDBResultReader, type DuckDBValue } from '@duckdb/node-api';
import { applyMigrations } from './migrate';
import { runPreparedAndReadAll } from './prepared-statements';
import { quoteString } from './sql';

export interface Db {
  /** Rows as plain objects; DECIMAL, BIGINT, HUGEINT come back as strings, TIMESTAMPTZ as ISO strings (never JS numbers for money). */
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** BEGIN … COMMIT on a dedicated connection; ROLLBACK and rethrow on error. */
  transaction<T>(fn: (tx: Db) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * One connection held for fn alone, with the write lock (no other transaction runs meanwhile),
   * its statements committed one by one: no BEGIN until fn opens one (held.transaction), on the
   * same connection. For long work on temp tables that ends in a short write (break detection):
   * DuckDB 1.5 scans the rows a transaction created itself on one thread, and rows committed
   * before it in parallel (a hash join over a 1M-row temp table: 535–660 ms against 132–148).
   * Inside a transaction, fn runs in it.
   */
  exclusive<T>(fn: (held: Db) => Promise<T>): Promise<T>;
  /**
   * The rows of one query, a chunk at a time (about STREAM_CHUNK_ROWS each, the same values as
   * all()), read from one snapshot: writes committed while the caller reads do not show, so a
   * long read (an export) is never half one state and half another, as separate page queries
   * would be. Outside a transaction the query runs on a connection of its own, held until the
   * iteration ends or is left (return/throw); inside one, the rows are read whole first (a
   * pending result would be cut off by the transaction's next statement).
   */
  stream<T = Record<string, unknown>>(sql: string, params?: unknown[]): AsyncGenerator<T[], void, undefined>;
}

/** Rows per chunk a stream hands over (DuckDB produces vectors of 2,048 rows). */
export const STREAM_CHUNK_ROWS = 2048;

export type OpenDb = Db & { close(): Promise<void> };

export interface OpenDatabaseOptions {
  file: string;
  dataDir: string;
  /** Defaults to <cwd>/db/migrations (Next bundles server code, so the source folder is found from the project root). */
  migrationsDir?: string;
}

/** Absolute DATA_DIR (default ./data, relative to the working directory the server was started in). */
export function dataDir(): string {
  // turbopackIgnore: a run-time location, not a source file for the build to trace.
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? 'data');
}

/** The storage format of a database file this code creates (see openDatabase). */
export const STORAGE_VERSION = 'v1.5.0';

/** Opens, hardens and migrates a database file. Callers other than tests use getDb(). */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<OpenDb> {
  const dir = path.resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(path.resolve(opts.file), {
    // Extensions can be neither fetched nor loaded implicitly; parquet and json are built in.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // Bounded (issue 9): DuckDB spills to <file>.tmp instead of growing to its default of 80 % of
    // RAM. 1GB: break detection over 10M messages runs within it (the chain summary, whose
    // aggregates cannot spill, runs range by range: build-order-state.ts). Against 2GB, the
    // server's peak at 10M fell from 3.1 to 2.0 GB, and the pass took 17 % longer
    // (docs/performance.md, "A 10M pass within a 1GB limit"). WORKBENCH_DB_MEMORY / _THREADS override.
    memory_limit: process.env.WORKBENCH_DB_MEMORY ?? '1GB',
    ...(process.env.WORKBENCH_DB_THREADS ? { threads: process.env.WORKBENCH_DB_THREADS } : {}),
    // A new database file is written in DuckDB 1.5's storage format, not the default v0.10.2 one
    // that older DuckDB releases can read: its newer compressions (DICT_FSST for text) make the
    // FIX promotion's load and the pass's writes cheaper (1M end to end: 25.6 against 26.4 s,
    // docs/performance.md, "A database in DuckDB 1.5's storage format"). A file created before
    // keeps its own format (DuckDB does not convert it) and opens as before.
    storage_compatibility_version: STORAGE_VERSION,
  });
  try {
    await hardenInstance(instance, dir);
  } catch (e) {
    instance.closeSync();
    throw e;
  }
  const db = new InstanceDb(instance);
  try {
    await applyMigrations(db, opts.migrationsDir ?? path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations'));
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

/**
 * Order matters: allowed_directories must be set while external access is still on, and
 * lock_configuration last, after which no connection can loosen anything (SET fails).
 * The trailing separator stops a sibling such as data-old/ from matching the prefix.
 */
async function hardenInstance(instance: DuckDBInstance, dir: string): Promise<void> {
  const conn = await instance.connect();
  try {
    // Reliability (helper C): checkpoint what the WAL replay of a crashed run restored, before
    // anything else runs. DuckDB 1.5 otherwise checkpoints replayed rows of an indexed table so
    // that a later DELETE of them fails FATAL ("Failed to delete all rows from index") and
    // invalidates the database (test/reliability/crash-reopen.test.ts). Cheap when the WAL is empty.
    await conn.run('CHECKPOINT');
    await conn.run(`SET TimeZone = 'UTC'`);
    await conn.run(`SET allowed_directories = [${quoteString(dir + path.sep)}]`);
    await conn.run(`SET enable_external_access = false`);
    await conn.run(`SET lock_configuration = true`);
  } finally {
    conn.closeSync();
  }
}

type GlobalWithDb = typeof globalThis & { __workbenchDb?: Promise<OpenDb> };

/**
 * The process-wide database. Kept on globalThis, not in a module variable, because Next.js
 * bundles instrumentation, route handlers and server components into separate module graphs
 * (and reloads them in dev): a module-level cache would be duplicated, and two
 * DuckDBInstance.create() on one file in one process both succeed as independent writers,
 * which corrupts it.
 */
export function getDb(): Promise<Db> {
  const g = globalThis as GlobalWithDb;
  if (!g.__workbenchDb) {
    const dir = dataDir();
    const opening = openDatabase({ file: path.join(dir, 'workbench.duckdb'), dataDir: dir });
    g.__workbenchDb = opening;
    // A failed open must not poison the cache: the next call tries again.
    opening.catch(() => {
      if (g.__workbenchDb === opening) g.__workbenchDb = undefined;
    });
  }
  return g.__workbenchDb;
}

/** Closes the process-wide database (server shutdown, tests). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const opening = g.__workbenchDb;
  g.__workbenchDb = undefined;
  if (opening) await (await opening).close();
}

interface TxScope {
  owner: InstanceDb;
  tx: Db;
}

// The transaction (if any) the current async call chain runs in. Lets a nested
// db.transaction() or db.run() made from inside fn join the open transaction instead of
// waiting for the write lock it holds (a deadlock) or writing outside it on another connection.
const txScope = new AsyncLocalStorage<TxScope>();

export interface TransactionOptions {
  /**
   * true (default): wait for the process-wide write lock, so this transaction never races
   * another one (no write-write conflicts). false: for short transactions that only insert
   * rows nobody else updates (a login: a session row and an audit entry); they do not queue
   * behind a long promotion. Audit appends are ordered either way (see AuditHook).
   */
  serialize?: boolean;
}

/**
 * What appendAudit needs from a transaction (reached through AUDIT_HOOK, not part of Db):
 * the hash chain has one head, so appends are serialised by their own lock, taken at the
 * first append of a transaction and held until it commits or rolls back; the head is then
 * read from committed state (or from this transaction's own earlier append).
 */
export interface AuditHook {
  lockForAudit(): Promise<void>;
  /** The last entry appended by this transaction, if any. */
  lastAppended: { seq: number; hash: string } | null;
  /** Reads committed state, outside this transaction's snapshot. */
  committedAll<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export const AUDIT_HOOK = Symbol.for('workbench.auditHook');

export function auditHookOf(db: Db): AuditHook | undefined {
  return (db as unknown as Record<symbol, AuditHook | undefined>)[AUDIT_HOOK];
}

/** A FIFO async mutex: lock() resolves with the function that releases it. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
  /** Resolves once everyone queued now has released. */
  async drain(): Promise<void> {
    await this.tail;
  }
}

class InstanceDb implements OpenDb {
  private idle: DuckDBConnection[] = [];
  private closed = false;
  // One writer at a time: transactions are serialised in process, so concurrent ones never
  // fail on DuckDB's optimistic write conflicts (job claims, status updates).
  private readonly writeLock = new Mutex();
  private readonly auditLock = new Mutex();

  constructor(private readonly instance: DuckDBInstance) {}

  async all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const scope = this.ambient();
    if (scope) return scope.all<T>(sql, params);
    // Outside a transaction the connection is held alone: its prepared statements can be reused.
    return this.withConnection((c) => queryRows<T>(c, sql, params, { reusePrepared: true }));
  }

  async run(sql: string, params?: unknown[]): Promise<void> {
    const scope = this.ambient();
    if (scope) return scope.run(sql, params);
    await this.withConnection((c) => execute(c, sql, params, { reusePrepared: true }));
  }

  async *stream<T = Record<string, unknown>>(sql: string, params?: unknown[]): AsyncGenerator<T[], void, undefined> {
    const scope = this.ambient();
    if (scope) {
      yield* scope.stream<T>(sql, params);
      return;
    }
    if (this.closed) throw new Error('db.closed: the database is closed');
    const conn = this.idle.pop() ?? (await this.instance.connect());
    let finished = false;
    try {
      const result = params && params.length > 0 ? await conn.stream(sql, toDuckDBValues(params)) : await conn.stream(sql);
      const tz = tzColumnsOf(result.deduplicatedColumnNames(), result.columnTypes());
      for await (const rows of result.yieldRowObjectJson()) {
        if (rows.length === 0) continue;
        yield isoTimestamps(rows as Record<string, unknown>[], tz) as T[];
      }
      finished = true;
    } finally {
      // Left early (the reader went away) or failed: the connection may still hold a pending
      // result or an aborted transaction; it is closed instead of going back to the pool.
      if (finished && !this.closed && this.idle.length < 4) this.idle.push(conn);
      else conn.closeSync();
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    // Inside a transaction: part of it. Inside exclusive(): BEGIN on the held connection.
    const scope = this.ambient();
    if (scope) return scope.transaction(fn, opts);
    const releaseWrite = opts.serialize === false ? () => undefined : await this.writeLock.lock();
    try {
      return await this.withConnection((conn) => this.inTransaction(conn, fn));
    } finally {
      releaseWrite();
    }
  }

  async exclusive<T>(fn: (held: Db) => Promise<T>): Promise<T> {
    const scope = this.ambient();
    if (scope) return scope.exclusive(fn);
    const releaseWrite = await this.writeLock.lock();
    try {
      return await this.withConnection((conn) => {
        const held = heldConnectionDb(conn, this);
        return txScope.run({ owner: this, tx: held }, () => fn(held));
      });
    } finally {
      releaseWrite();
    }
  }

  /** BEGIN … COMMIT on conn (the caller holds it and, unless unserialised, the write lock). */
  async inTransaction<T>(conn: DuckDBConnection, fn: (tx: Db) => Promise<T>): Promise<T> {
    // A promise, so two appends racing inside one transaction share one acquisition.
    let auditLocking: Promise<() => void> | null = null;
    try {
      const hook: AuditHook = {
        lastAppended: null,
        lockForAudit: async () => {
          auditLocking ??= this.auditLock.lock();
          await auditLocking;
        },
        committedAll: <R>(sql: string, params?: unknown[]) => this.withConnection((c) => queryRows<R>(c, sql, params)),
      };
      const tx = connectionDb(conn, this, hook);
      await conn.run('BEGIN TRANSACTION');
      let result: T;
      try {
        result = await txScope.run({ owner: this, tx }, () => fn(tx));
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      await conn.run('COMMIT');
      return result;
    } finally {
      // After COMMIT (or ROLLBACK): the next appender reads a head that includes ours.
      if (auditLocking) (await (auditLocking as Promise<() => void>))();
    }
  }

  private closing: Promise<void> | null = null;

  /** Waits for open transactions, then closes every connection and the instance (once). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.writeLock.drain();
      await this.auditLock.drain();
      this.closed = true;
      for (const c of this.idle) c.closeSync();
      this.idle = [];
      this.instance.closeSync();
    })();
    return this.closing;
  }

  private ambient(): Db | undefined {
    const s = txScope.getStore();
    return s && s.owner === this ? s.tx : undefined;
  }

  // A connection runs one statement at a time; each call borrows its own and returns it.
  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('db.closed: the database is closed');
    const conn = this.idle.pop() ?? (await this.instance.connect());
    let healthy = true;
    try {
      return await fn(conn);
    } catch (e) {
      healthy = false;
      throw e;
    } finally {
      // A connection that saw an error may be left inside an aborted transaction: drop it.
      if (healthy && !this.closed && this.idle.length < 4) this.idle.push(conn);
      else conn.closeSync();
    }
  }
}

/** A Db bound to one connection (the inside of a transaction). */
function connectionDb(conn: DuckDBConnection, owner: InstanceDb, hook: AuditHook): Db {
  const tx: Db = {
    all: <T>(sql: string, params?: unknown[]) => queryRows<T>(conn, sql, params),
    run: (sql: string, params?: unknown[]) => execute(conn, sql, params),
    stream: <T>(sql: string, params?: unknown[]) => chunksOf(queryRows<T>(conn, sql, params)),
    // Already inside: a nested transaction is part of this one (DuckDB has no savepoints).
    transaction: <T>(fn: (inner: Db) => Promise<T>) => txScope.run({ owner, tx }, () => fn(tx)),
    exclusive: <T>(fn: (inner: Db) => Promise<T>) => txScope.run({ owner, tx }, () => fn(tx)),
  };
  Object.defineProperty(tx, AUDIT_HOOK, { value: hook, enumerable: false });
  return tx;
}

/**
 * A Db bound to a connection held by exclusive(): statements commit one by one; transaction()
 * opens BEGIN … COMMIT on it (the write lock is already held), and what runs inside joins it.
 */
function heldConnectionDb(conn: DuckDBConnection, owner: InstanceDb): Db {
  const held: Db = {
    all: <T>(sql: string, params?: unknown[]) => queryRows<T>(conn, sql, params),
    run: (sql: string, params?: unknown[]) => execute(conn, sql, params),
    stream: <T>(sql: string, params?: unknown[]) => chunksOf(queryRows<T>(conn, sql, params)),
    transaction: <T>(fn: (tx: Db) => Promise<T>) => {
      // Called again from inside the transaction it opened: part of it (a second BEGIN would fail).
      const scope = txScope.getStore();
      if (scope && scope.owner === owner && scope.tx !== held) return scope.tx.transaction(fn);
      return owner.inTransaction(conn, fn);
    },
    exclusive: <T>(fn: (inner: Db) => Promise<T>) => txScope.run({ owner, tx: held }, () => fn(held)),
  };
  return held;
}

interface RunOptions {
  /** The caller holds conn alone (not a transaction's): reuse its prepared statement (db/prepared-statements.ts). */
  reusePrepared?: boolean;
}

async function execute(conn: DuckDBConnection, sql: string, params?: unknown[], opts: RunOptions = {}): Promise<void> {
  if (params && params.length > 0) {
    if (opts.reusePrepared) await runPreparedAndReadAll(conn, sql, toDuckDBValues(params));
    else await conn.run(sql, toDuckDBValues(params));
  } else await conn.run(sql);
}

async function readAll(conn: DuckDBConnection, sql: string, params: unknown[] | undefined, opts: RunOptions): Promise<DuckDBResultReader> {
  if (!params || params.length === 0) return conn.runAndReadAll(sql);
  const values = toDuckDBValues(params);
  return opts.reusePrepared ? runPreparedAndReadAll(conn, sql, values) : conn.runAndReadAll(sql, values);
}

async function queryRows<T>(conn: DuckDBConnection, sql: string, params?: unknown[], opts: RunOptions = {}): Promise<T[]> {
  const reader = await readAll(conn, sql, params, opts);
  // JSON conversion keeps DECIMAL, BIGINT and HUGEINT as exact strings (the JS conversion makes numbers).
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  return isoTimestamps(rows, tzColumnsOf(reader.columnNames(), reader.columnTypes())) as T[];
}

function tzColumnsOf(names: readonly string[], types: readonly { typeId: DuckDBTypeId }[]): string[] {
  return names.filter((_, i) => types[i].typeId === DuckDBTypeId.TIMESTAMP_TZ);
}

/** TIMESTAMPTZ cells as ISO strings (in place). */
function isoTimestamps(rows: Record<string, unknown>[], tzColumns: readonly string[]): Record<string, unknown>[] {
  if (tzColumns.length === 0) return rows;
  for (const row of rows) {
    for (const name of tzColumns) {
      const v = row[name];
      if (typeof v === 'string') row[name] = isoFromDuckDBTimestampTz(v);
    }
  }
  return rows;
}

/** Rows read whole, handed over in chunks of STREAM_CHUNK_ROWS (Db.stream inside a transaction). */
export async function* chunksOf<T>(rows: Promise<T[]>): AsyncGenerator<T[], void, undefined> {
  const all = await rows;
  for (let i = 0; i < all.length; i += STREAM_CHUNK_ROWS) yield all.slice(i, i + STREAM_CHUNK_ROWS);
}

/** '2024-01-02 03:04:05.123456+00' → '2024-01-02T03:04:05.123456Z' (other offsets kept as ±hh:mm). */
export function isoFromDuckDBTimestampTz(text: string): string {
  const m = /^(-?\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?$/.exec(text);
  if (!m) return text; // infinity, BC dates: kept as DuckDB prints them
  const [, date, time, hours, minutes] = m;
  const offset = hours === '+00' && (minutes === undefined || minutes === '00') ? 'Z' : `${hours}:${minutes ?? '00'}`;
  return `${date}T${time}${offset}`;
}

function toDuckDBValues(params: unknown[]): DuckDBValue[] {
  return params.map((p, i) => {
    if (p === null || p === undefined) return null;
    switch (typeof p) {
      case 'string':
      case 'boolean':
      case 'bigint':
        return p;
      case 'number':
        if (!Number.isFinite(p)) throw new TypeError(`db.bad_parameter: parameter ${i + 1} is not a finite number`);
        return p;
      default:
        if (p instanceof Date) return p.toISOString();
        throw new TypeError(`db.bad_parameter: parameter ${i + 1} must be a string, number, boolean, bigint, Date or null`);
    }
  });
}
