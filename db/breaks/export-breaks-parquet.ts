import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../open';
import { quoteString } from '../sql';
import { whereOf, type BreakFilters } from './break-queries';

// The filtered set of breaks as a Parquet file, written by DuckDB's COPY into DATA_DIR/tmp.
// The caller streams it and deletes it. Types stay typed (DECIMAL notional, DATE trade date).

export async function exportBreaksParquet(db: Db, dataDir: string, filters: BreakFilters): Promise<string> {
  const dir = path.join(dataDir, 'tmp');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `breaks-export-${randomUUID()}.parquet`);
  const w = whereOf(filters, true);
  await db.run(
    `COPY (SELECT break_id, class, family, status, severity, cl_ord_id, chain_root, session, symbol, account, assignee,
       trade_date, age_days, notional, first_seen, last_seen, closed_reason, details
     FROM breaks ${w.sql} ORDER BY first_seen DESC, break_id) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`,
    w.params,
  );
  return file;
}
