// Parameterised statements run outside a transaction, prepared once per pooled connection and
// reused. Every authenticated request runs at least one (the session lookup) and a drill-down
// five more; DuckDB's conn.run(sql, values) extracts, prepares and destroys the statement each
// time: two more round trips to its thread pool and a fresh plan. Measured on the 1M benchmark
// database through Db, alternating the two: the session lookup p50 1.15–1.25 ms against
// 1.51–1.99, a whole drill-down 8.1–9.3 against 10.1–11.0 ms, 11 % less CPU (docs/performance.md,
// "Prepared statements").
//
// Invariants:
// - Only for a connection its caller holds alone (the pool's withConnection): a statement keeps
//   its bindings between runs, so two queries interleaved on one statement would run with each
//   other's values. Inside a transaction (one connection, calls that may overlap) statements are
//   not cached.
// - Bindings are cleared before each run: a call with fewer values than the statement's
//   parameters fails as it does unprepared, instead of running with the last call's values.
// - A statement DuckDB refuses to prepare (several statements in one string) runs as before,
//   unprepared; a connection that saw an error is closed by the pool, and its statements with it.
// - DuckDB re-plans a prepared statement whose tables changed since it was prepared.
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';

/** Statements kept per connection, least recently used dropped first (SQL text with IN lists varies). */
export const MAX_PREPARED_PER_CONNECTION = 64;

const byConnection = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

/** The connection's prepared statement for sql (prepared now if new), or null if it cannot be prepared alone. */
async function preparedFor(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement | null> {
  let cache = byConnection.get(conn);
  if (!cache) {
    cache = new Map();
    byConnection.set(conn, cache);
  }
  const hit = cache.get(sql);
  if (hit) {
    // Map order is insertion order: re-inserting makes it the most recently used.
    cache.delete(sql);
    cache.set(sql, hit);
    return hit;
  }
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await conn.prepare(sql);
  } catch {
    return null;
  }
  cache.set(sql, prepared);
  if (cache.size > MAX_PREPARED_PER_CONNECTION) {
    const [oldestSql, oldest] = cache.entries().next().value as [string, DuckDBPreparedStatement];
    cache.delete(oldestSql);
    oldest.destroySync();
  }
  return prepared;
}

/** Runs sql with values on a connection held alone, through its cached prepared statement. */
export async function runPreparedAndReadAll(conn: DuckDBConnection, sql: string, values: DuckDBValue[]): Promise<DuckDBResultReader> {
  const prepared = await preparedFor(conn, sql);
  if (prepared === null) return conn.runAndReadAll(sql, values);
  prepared.clearBindings();
  prepared.bind(values);
  return prepared.runAndReadAll();
}

/** How many statements a connection has prepared and kept (tests). */
export function preparedCount(conn: DuckDBConnection): number {
  return byConnection.get(conn)?.size ?? 0;
}
