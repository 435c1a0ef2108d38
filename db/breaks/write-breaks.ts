import type { BreakFamily, BreakRecord } from '../../lib/breaks';
import type { Db } from '../open';

// Writes the breaks of one detection run into `breaks`, keyed by their stable id:
// - a new id is inserted 'open' (event 'detected');
// - an existing id keeps its status, assignee, comments and first_seen; its facts (details,
//   evidence, severity, age, last_seen) are refreshed; one that detection itself had closed
//   ('auto: …') and that holds again is reopened (event 'reopened');
// - an open or investigating break of the recomputed scope that this run did not find is closed
//   automatically with the reason (event 'auto_closed'). An analyst's resolved/false_positive stays.

export interface WriteScope {
  /** Families recomputed whole (every break of them not found now is closed). */
  allOf: BreakFamily[];
  /** Families recomputed for the sessions in _bk_scope only. */
  scopedSessionsOf: BreakFamily[];
  /** Text kept in the auto-close reason and the events. */
  runLabel: string;
}

export interface WriteResult {
  inserted: number;
  reopened: number;
  refreshed: number;
  autoClosed: number;
}

const STAGE_STRUCTURE = JSON.stringify([
  {
    break_id: 'VARCHAR', class: 'VARCHAR', family: 'VARCHAR', match_key: 'VARCHAR', cl_ord_id: 'VARCHAR', chain_root: 'VARCHAR',
    session: 'VARCHAR', symbol: 'VARCHAR', account: 'VARCHAR', severity: 'VARCHAR', notional: 'VARCHAR', trade_date: 'VARCHAR',
    age_days: 'INTEGER', details: 'VARCHAR', evidence: 'VARCHAR', staged_seq: 'BIGINT',
  },
]);

/** Records per INSERT into the stage (callers that build records may use it to build them chunk by chunk). */
export const BREAK_STAGE_CHUNK = 2000;

/**
 * The breaks of one detection run, staged in _bk_new as each candidate step finds them, then
 * written (write). Staging step by step, in chunks, bounds what a run holds in JavaScript to one
 * chunk of records instead of every break of the run: at 10M messages (176k breaks) the records
 * held whole took the server's JavaScript heap to 0.9 GB.
 */
export class BreakStage {
  private staged = 0;

  private constructor(private readonly tx: Db) {}

  static async open(tx: Db): Promise<BreakStage> {
    await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_new (
      break_id VARCHAR, class VARCHAR, family VARCHAR, match_key VARCHAR, cl_ord_id VARCHAR, chain_root VARCHAR, session VARCHAR,
      symbol VARCHAR, account VARCHAR, severity VARCHAR, notional VARCHAR, trade_date VARCHAR, age_days INTEGER, details VARCHAR, evidence VARCHAR,
      staged_seq BIGINT)`);
    return new BreakStage(tx);
  }

  /** Stages records (a break id staged again replaces the earlier record: the last one is written). */
  async add(records: readonly BreakRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += BREAK_STAGE_CHUNK) {
      const chunk = records.slice(i, i + BREAK_STAGE_CHUNK).map((r) => ({
        break_id: r.break_id, class: r.class, family: r.family, match_key: r.match_key, cl_ord_id: r.cl_ord_id, chain_root: r.chain_root,
        session: r.session, symbol: r.symbol, account: r.account, severity: r.severity, notional: r.notional, trade_date: r.trade_date,
        age_days: r.age_days, details: r.details, evidence: r.evidence, staged_seq: this.staged++,
      }));
      await this.tx.run(
        `INSERT INTO _bk_new SELECT unnest(from_json(?::JSON, '${STAGE_STRUCTURE}'), recursive := true)`,
        [JSON.stringify(chunk)],
      );
    }
  }

  /** Writes the staged breaks into `breaks` (see the top of this file). */
  async write(scope: WriteScope): Promise<WriteResult> {
    // One record per id, the last staged, in a table of its own (_bk_write) rather than deleted
    // from the stage: a pass stages before and inside its transaction, and the merge's UPDATE of
    // breaks joined against the stage so touched took 0.6 s instead of 0.1 at 1M messages.
    await this.tx.run(`CREATE OR REPLACE TEMP TABLE _bk_write AS
      SELECT * EXCLUDE (staged_seq) FROM _bk_new QUALIFY staged_seq = max(staged_seq) OVER (PARTITION BY break_id)`);
    return mergeStagedBreaks(this.tx, scope);
  }
}

async function mergeStagedBreaks(tx: Db, scope: WriteScope): Promise<WriteResult> {
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (${sql})`, params))[0].n);

  const reopenable = `SELECT b.break_id FROM breaks b JOIN _bk_write n USING (break_id) WHERE b.status = 'resolved' AND b.closed_reason LIKE 'auto:%'`;
  const reopened = await count(reopenable);
  await tx.run(`INSERT INTO break_events (event_id, break_id, actor, action, from_status, to_status, details)
    SELECT uuid()::VARCHAR, break_id, 'system', 'reopened', 'resolved', 'open', json_object('run', ?::VARCHAR)::VARCHAR FROM (${reopenable})`,
    [scope.runLabel]);
  await tx.run(`UPDATE breaks SET status = 'open', closed_reason = NULL, closed_at = NULL WHERE break_id IN (${reopenable})`);

  const refreshed = await count(`SELECT break_id FROM breaks WHERE break_id IN (SELECT break_id FROM _bk_write)`);
  await tx.run(`UPDATE breaks SET severity = n.severity, notional = n.notional::DECIMAL(38,10), trade_date = n.trade_date::DATE,
      age_days = n.age_days, details = n.details, evidence = n.evidence, symbol = n.symbol, account = n.account,
      last_seen = current_timestamp, updated_at = current_timestamp
    FROM _bk_write n WHERE breaks.break_id = n.break_id`);

  const inserted = await count(`SELECT break_id FROM _bk_write WHERE break_id NOT IN (SELECT break_id FROM breaks)`);
  await tx.run(`INSERT INTO break_events (event_id, break_id, actor, action, from_status, to_status, details)
    SELECT uuid()::VARCHAR, break_id, 'system', 'detected', NULL, 'open', json_object('run', ?::VARCHAR)::VARCHAR
    FROM _bk_write WHERE break_id NOT IN (SELECT break_id FROM breaks)`, [scope.runLabel]);
  await tx.run(`INSERT INTO breaks (break_id, class, family, match_key, cl_ord_id, chain_root, session, symbol, account, status,
      severity, notional, trade_date, age_days, details, evidence, first_seen, last_seen)
    SELECT break_id, class, family, match_key, cl_ord_id, chain_root, session, symbol, account, 'open',
      severity, notional::DECIMAL(38,10), trade_date::DATE, age_days, details, evidence, current_timestamp, current_timestamp
    FROM _bk_write WHERE break_id NOT IN (SELECT break_id FROM breaks)`);

  const inScope: string[] = [];
  if (scope.allOf.length > 0) inScope.push(`family IN (${scope.allOf.map((f) => `'${f}'`).join(', ')})`);
  if (scope.scopedSessionsOf.length > 0) {
    inScope.push(`(family IN (${scope.scopedSessionsOf.map((f) => `'${f}'`).join(', ')}) AND session IN (SELECT session FROM _bk_scope))`);
  }
  let autoClosed = 0;
  if (inScope.length > 0) {
    const closable = `SELECT break_id, status FROM breaks WHERE status IN ('open', 'investigating') AND (${inScope.join(' OR ')})
      AND break_id NOT IN (SELECT break_id FROM _bk_write)`;
    autoClosed = await count(closable);
    const reason = `auto: no longer detected (${scope.runLabel})`;
    await tx.run(`INSERT INTO break_events (event_id, break_id, actor, action, from_status, to_status, details)
      SELECT uuid()::VARCHAR, break_id, 'system', 'auto_closed', status, 'resolved', json_object('reason', ?::VARCHAR)::VARCHAR FROM (${closable})`,
      [reason]);
    await tx.run(`UPDATE breaks SET status = 'resolved', closed_reason = ?, closed_at = current_timestamp, updated_at = current_timestamp
      WHERE break_id IN (SELECT break_id FROM (${closable}))`, [reason]);
  }
  return { inserted, reopened, refreshed, autoClosed };
}
