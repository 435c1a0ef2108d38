// What a reader of the database sees of one job: its rows in each output table and in
// parse_errors, whether it is promoted, its status. Shared by the crash tests and the crash host
// (which runs it inside one read transaction, so the counts come from one snapshot).

export const DATA_TABLES = ['fix_order_events', 'fix_session_events'] as const;

/** A query function: through the server while it owns the database, or straight on a reopened file. */
export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;


export interface Visible {
  /** Rows of the job in each output table (valid, quarantine) and in parse_errors. */
  rows: Record<string, number>;
  promoted: boolean;
  status: string;
}

/** What a reader of the database sees of the job now. */
export async function visibleOutput(q: Query, jobId: string): Promise<Visible> {
  const tables = (
    await q<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_name IN (${[...DATA_TABLES, ...DATA_TABLES.map((t) => `${t}_quarantine`)].map((t) => `'${t}'`).join(', ')})`)
  ).map((r) => r.table_name);
  const rows: Record<string, number> = {};
  for (const t of tables.sort()) {
    const r = await q<{ n: string }>(`SELECT count(*) AS n FROM "${t}" WHERE _cf_job_id = ?`, [jobId]);
    rows[t] = Number(r[0].n);
  }
  const pe = await q<{ n: string }>(`SELECT count(*) AS n FROM parse_errors WHERE job_id = ?`, [jobId]);
  rows.parse_errors = Number(pe[0].n);
  const job = await q<{ status: string; promoted_at: string | null }>(`SELECT status, promoted_at FROM jobs WHERE id = ?`, [jobId]);
  return { rows, promoted: job[0]?.promoted_at != null, status: job[0]?.status ?? 'missing' };
}

