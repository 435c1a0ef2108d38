import type { Db } from '../open';
import type { CandidateRow, StageCandidates } from './candidate-row';
import { dropTempTables } from './build-order-state';
import { readInChunks } from './read-in-chunks';
import { filePositionSql, SESSION_SQL } from './sql-fragments';

// Session-level breaks: sequence_gap and duplicate_seq_num, per direction (Sender→Target) of each
// scope session, over order and session messages together (MsgSeqNum counts every message).
//
// Epochs: a Logon (35=A) with ResetSeqNumFlag(141)=Y or MsgSeqNum 1, and a SequenceReset (35=4)
// in reset mode (123≠Y), start a new epoch; the first epoch of the data starts at the first
// number seen. Within an epoch every message covers its own MsgSeqNum, a SequenceReset-GapFill
// covers [MsgSeqNum, NewSeqNo); a number covered by nothing below the highest one seen is a gap
// (so a gap later filled by PossDup resends is no break). Sorted intervals + running maximum.

const SEQ_COLUMNS = `sender_comp_id, target_comp_id, msg_type, msg_seq_num, poss_dup_flag, sending_time,
  _cf_source_hash, message_index, _cf_job_id`;

/**
 * Positions (and sequence numbers) per block of the running counts below: 2^16. Exact for any
 * value; tests use small blocks so that the data crosses many of them.
 */
export const SEQUENCE_BLOCK_BITS = 16;

/**
 * Every message of the scope with a MsgSeqNum (order messages from _bk_ev, the scope sessions
 * with each file position once, their lineage strings from _bk_origin; session messages
 * deduplicated here the same way: a message goes to one output only, so the two never share a
 * position), as CTEs `raw` and `msgs`. Not materialized: each reader scans only the columns it
 * needs of _bk_ev, instead of one materialized copy of every column that each reader then reads
 * whole.
 */
function messagesSql(hasSessionEvents: boolean): string {
  const sessionPart = hasSessionEvents
    ? `UNION ALL SELECT ${SEQ_COLUMNS}, gap_fill_flag, new_seq_no, reset_seq_num_flag, 'fix_session_events' AS output
       FROM _bk_src_sessions WHERE ${SESSION_SQL} IN (SELECT session FROM _bk_scope)
       QUALIFY row_number() OVER (PARTITION BY _cf_source_hash, message_index ORDER BY _cf_job_id DESC) = 1`
    : '';
  return `WITH raw AS NOT MATERIALIZED (
  SELECT e.sender_comp_id, e.target_comp_id, e.msg_type, e.msg_seq_num, e.poss_dup_flag, e.sending_time,
    o._cf_source_hash, e.message_index, o._cf_job_id,
    NULL::VARCHAR AS gap_fill_flag, NULL::BIGINT AS new_seq_no, NULL::VARCHAR AS reset_seq_num_flag, 'fix_order_events' AS output
  FROM _bk_ev e JOIN _bk_origin o USING (origin)
  ${sessionPart}
), msgs AS NOT MATERIALIZED (
  SELECT * FROM raw WHERE msg_seq_num IS NOT NULL
)`;
}

/**
 * The two small tables the sequence statement keys on, as tables of their own: their row counts
 * are then known to DuckDB's optimizer, which otherwise estimated the directions as large as the
 * messages, built its join's hash table on the 10M messages and ran out of a 1GB limit.
 *   _bk_sq_files(_cf_source_hash, file_rank)   files by first SendingTime, then hash
 *   _bk_sq_dirs(cs, ct, session, direction, d)  a number per direction (Sender→Target): the
 *                                               windows and joins key on it instead of on strings
 */
export function sequenceKeySql(hasSessionEvents: boolean): string[] {
  const msgs = messagesSql(hasSessionEvents);
  return [
    `CREATE OR REPLACE TEMP TABLE _bk_sq_files AS ${msgs}
  SELECT _cf_source_hash, row_number() OVER (ORDER BY min(sending_time) NULLS LAST, _cf_source_hash) AS file_rank FROM msgs GROUP BY 1`,
    // cs, ct: the comp ids as the session and direction read them (NULL = ''); d numbers the
    // (session, direction) pairs, as the strings of the breaks name them.
    `CREATE OR REPLACE TEMP TABLE _bk_sq_dirs AS ${msgs}
  SELECT cs, ct, session, direction, dense_rank() OVER (ORDER BY session, direction) AS d FROM (
    SELECT sender_comp_id AS cs, target_comp_id AS ct, ${SESSION_SQL} AS session, sender_comp_id || '>' || target_comp_id AS direction
    FROM (SELECT DISTINCT coalesce(sender_comp_id, '') AS sender_comp_id, coalesce(target_comp_id, '') AS target_comp_id FROM msgs))`,
  ];
}

export const SEQUENCE_TEMP_TABLES = ['_bk_sq_files', '_bk_sq_dirs'];

/** The session-level candidates (CandidateRow columns); reads the tables of sequenceKeySql. */
export function sequenceSql(hasSessionEvents: boolean, blockBits = SEQUENCE_BLOCK_BITS): string {
  if (!Number.isInteger(blockBits) || blockBits < 0 || blockBits > 40) throw new Error(`breaks.bad_block_bits: ${blockBits}`);
  // Only narrow rows (integers and flags) go through the windows: DuckDB's window operator and
  // a materialized CTE carry every column they are given: at 10M messages, with the session and
  // direction strings, source hash and job id in every row, this statement took 36 s (10.6 s
  // without them). The strings and the evidence are joined back for the messages a break names.
  // o orders a direction's messages by (file start, file, message_index) without a sort of the
  // rows: file rank · 2^40 + message_index (message_index < 2^40).
  // Of the 10M-row CTEs only epochs is materialized: ordered and intervals are computed again by
  // each of their two readers, which at 10M messages (1GB limit) took 8.8 s instead of 10.6 with
  // all three held at once (and spilled).
  return `${messagesSql(hasSessionEvents)}, ordered AS NOT MATERIALIZED (
  SELECT o, d, msg_seq_num, is_reset, is_reset OR logon_reset AS starts_epoch,
    -- The first number an epoch this message starts expects (its own, for any other message).
    CASE WHEN is_reset THEN new_seq_no WHEN logon_reset THEN 1 ELSE msg_seq_num END AS start_lo,
    -- The last number the message covers: a SequenceReset-GapFill covers [MsgSeqNum, NewSeqNo).
    CASE WHEN msg_type = '4' AND new_seq_no > msg_seq_num THEN new_seq_no - 1 ELSE msg_seq_num END AS hi,
    not_dup
  FROM (
    SELECT ${filePositionSql('f.file_rank', 'm.message_index')} AS o, x.d, m.msg_seq_num, m.msg_type, m.new_seq_no,
      m.msg_type = '4' AND coalesce(m.gap_fill_flag, 'N') <> 'Y' AS is_reset,
      m.msg_type = 'A' AND (m.reset_seq_num_flag = 'Y' OR m.msg_seq_num = 1) AS logon_reset,
      m.poss_dup_flag IS DISTINCT FROM 'Y' AS not_dup
    FROM msgs m JOIN _bk_sq_files f USING (_cf_source_hash)
    JOIN _bk_sq_dirs x ON x.cs = coalesce(m.sender_comp_id, '') AND x.ct = coalesce(m.target_comp_id, ''))
), epoch_base AS (
  -- Epoch starts before each block of 2^blockBits positions of a direction (k: those in it). The
  -- running counts below are per (direction, block), plus this base: a window partitioned by
  -- direction alone sorts each direction on one thread (23 s of a 32-second step at 10M messages).
  SELECT d, b, k, coalesce(sum(k) OVER (PARTITION BY d ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS base
  FROM (SELECT d, o >> ${blockBits} AS b, count(*) FILTER (WHERE starts_epoch) AS k FROM ordered GROUP BY 1, 2)
), epochs AS (
  -- A block without an epoch start is in the epoch of its base: only the blocks with one go
  -- through the window (logons and resets are rare; the result is the same either way).
  SELECT m.o, m.d, m.msg_seq_num, m.is_reset, m.starts_epoch, m.start_lo, m.hi, m.not_dup, e.base AS epoch
  FROM ordered m JOIN epoch_base e ON e.d = m.d AND e.b = m.o >> ${blockBits} WHERE e.k = 0
  UNION ALL
  SELECT m.o, m.d, m.msg_seq_num, m.is_reset, m.starts_epoch, m.start_lo, m.hi, m.not_dup,
    e.base + sum(m.starts_epoch::INTEGER) OVER (PARTITION BY m.d, m.o >> ${blockBits} ORDER BY m.o ROWS UNBOUNDED PRECEDING)
  FROM ordered m JOIN epoch_base e ON e.d = m.d AND e.b = m.o >> ${blockBits} WHERE e.k > 0
), epoch_lo AS (
  SELECT d, epoch, arg_min(start_lo, o) AS lo FROM epochs GROUP BY 1, 2
), intervals AS NOT MATERIALIZED (
  SELECT d, epoch, msg_seq_num AS lo, hi, o FROM epochs WHERE NOT is_reset
  UNION ALL
  SELECT d, epoch, lo - 1, lo - 1, NULL FROM epoch_lo WHERE lo IS NOT NULL
), block_max AS (
  -- The running maximum the same way: the greatest hi of the blocks of 2^blockBits numbers before
  -- each block (a few rows), then a window per (direction, epoch, block).
  SELECT d, epoch, b, max(mx) OVER (PARTITION BY d, epoch ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
  FROM (SELECT d, epoch, lo >> ${blockBits} AS b, max(hi) AS mx FROM intervals GROUP BY 1, 2, 3)
), gaps AS (
  -- o in the order: of two messages with the same number, the gap names the first received.
  SELECT * FROM (
    SELECT i.*, greatest(x.before,
      max(i.hi) OVER (PARTITION BY i.d, i.epoch, i.lo >> ${blockBits} ORDER BY i.lo, i.hi, i.o ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS prev_max
    FROM intervals i JOIN block_max x ON x.d = i.d AND x.epoch = i.epoch AND x.b = i.lo >> ${blockBits})
  WHERE prev_max IS NOT NULL AND lo > prev_max + 1 AND o IS NOT NULL
), repeated AS (
  -- Lists only for repeated numbers: a list per number over every message cannot spill to disk.
  SELECT o, d, epoch, msg_seq_num FROM epochs
  WHERE NOT is_reset AND not_dup
  AND (d, epoch, msg_seq_num) IN (
    SELECT d, epoch, msg_seq_num FROM epochs WHERE NOT is_reset AND not_dup GROUP BY 1, 2, 3 HAVING count(*) > 1)
), named AS (
  SELECT o FROM gaps UNION SELECT o FROM repeated
), evidence AS (
  -- The messages a break names, read again from the source (a semi join: the few o are hashed).
  SELECT m.* FROM (
    SELECT ${filePositionSql('f.file_rank', 'm.message_index')} AS o, m.output, m._cf_source_hash, m.message_index, m._cf_job_id,
      m.sending_time, m.msg_type
    FROM msgs m JOIN _bk_sq_files f USING (_cf_source_hash)) m
  SEMI JOIN named USING (o)
), dirs AS (
  SELECT DISTINCT d, session, direction FROM _bk_sq_dirs
)
SELECT 'sequence_gap' AS class,
  x.session || '|' || x.direction || '|' || g.epoch || '|' || (g.prev_max + 1) || '-' || (g.lo - 1) AS match_key,
  x.session, NULL AS chain_root, NULL AS cl_ord_id, NULL AS symbol, NULL AS account,
  m.sending_time::DATE::VARCHAR AS trade_date, NULL AS notional,
  json_object('direction', x.direction, 'epoch', g.epoch, 'from_seq', g.prev_max + 1, 'to_seq', g.lo - 1,
    'missing', g.lo - 1 - g.prev_max, 'next_seq_received', g.lo)::VARCHAR AS details,
  to_json([{'output': m.output, 'source_hash': m._cf_source_hash, 'message_index': m.message_index, 'job_id': m._cf_job_id}])::VARCHAR AS evidence
FROM gaps g JOIN evidence m ON m.o = g.o JOIN dirs x ON x.d = g.d
UNION ALL
SELECT 'duplicate_seq_num', x.session || '|' || x.direction || '|' || r.epoch || '|' || r.msg_seq_num,
  x.session, NULL, NULL, NULL, NULL, min(m.sending_time)::DATE::VARCHAR, NULL,
  json_object('direction', x.direction, 'epoch', r.epoch, 'seq', r.msg_seq_num, 'occurrences', count(*),
    'msg_types', list(m.msg_type ORDER BY r.o))::VARCHAR,
  to_json(list({'output': m.output, 'source_hash': m._cf_source_hash, 'message_index': m.message_index, 'job_id': m._cf_job_id} ORDER BY r.o))::VARCHAR
FROM repeated r JOIN evidence m ON m.o = r.o JOIN dirs x ON x.d = r.d
GROUP BY x.session, x.direction, r.epoch, r.msg_seq_num`;
}

/** Hands the session-level candidates to `stage` in chunks (readInChunks). */
export async function sequenceCandidates(
  tx: Db,
  hasSessionEvents: boolean,
  stage: StageCandidates,
  blockBits?: number,
): Promise<void> {
  for (const sql of sequenceKeySql(hasSessionEvents)) await tx.run(sql);
  await readInChunks<CandidateRow>(tx, '_bk_sq_out', { sql: sequenceSql(hasSessionEvents, blockBits) }, stage);
  await dropTempTables(tx, SEQUENCE_TEMP_TABLES);
}
