import type { Db } from '../open';
import type { CandidateRow, StageCandidates } from './candidate-row';
import { readInChunks } from './read-in-chunks';
import { SESSION_SQL } from './sql-fragments';

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

export function sequenceSql(hasSessionEvents: boolean, blockBits = SEQUENCE_BLOCK_BITS): string {
  if (!Number.isInteger(blockBits) || blockBits < 0 || blockBits > 40) throw new Error(`breaks.bad_block_bits: ${blockBits}`);
  // Order messages come from _bk_ev (buildEvents: the scope sessions, each file position once);
  // session messages are deduplicated here the same way (a message goes to one output only, so
  // the two never share a position).
  const sessionPart = hasSessionEvents
    ? `UNION ALL SELECT ${SEQ_COLUMNS}, gap_fill_flag, new_seq_no, reset_seq_num_flag, 'fix_session_events' AS output
       FROM _bk_src_sessions WHERE ${SESSION_SQL} IN (SELECT session FROM _bk_scope)
       QUALIFY row_number() OVER (PARTITION BY _cf_source_hash, message_index ORDER BY _cf_job_id DESC) = 1`
    : '';
  // o orders a direction's messages by (file start, file, message_index) without a sort of the
  // rows: file rank · 2^40 + message_index (message_index < 2^40).
  return `
WITH raw AS (
  SELECT ${SEQ_COLUMNS}, NULL::VARCHAR AS gap_fill_flag, NULL::BIGINT AS new_seq_no, NULL::VARCHAR AS reset_seq_num_flag,
    'fix_order_events' AS output
  FROM _bk_ev
  ${sessionPart}
), msgs AS (
  SELECT *, ${SESSION_SQL} AS session, coalesce(sender_comp_id, '') || '>' || coalesce(target_comp_id, '') AS direction
  FROM raw WHERE msg_seq_num IS NOT NULL
), files AS (
  SELECT _cf_source_hash, row_number() OVER (ORDER BY min(sending_time) NULLS LAST, _cf_source_hash) AS file_rank FROM msgs GROUP BY 1
), dirs AS (
  -- A number per direction: the windows and joins below key on it instead of on two strings.
  SELECT session, direction, row_number() OVER (ORDER BY session, direction) AS d FROM (SELECT DISTINCT session, direction FROM msgs)
), ordered AS (
  SELECT m.*,
    m.msg_type = '4' AND coalesce(m.gap_fill_flag, 'N') <> 'Y' AS is_reset,
    (m.msg_type = 'A' AND (m.reset_seq_num_flag = 'Y' OR m.msg_seq_num = 1)) OR (m.msg_type = '4' AND coalesce(m.gap_fill_flag, 'N') <> 'Y') AS starts_epoch,
    f.file_rank * 1099511627776 + m.message_index AS o, d.d
  FROM msgs m JOIN files f USING (_cf_source_hash) JOIN dirs d USING (session, direction)
), epoch_base AS (
  -- Epoch starts before each block of 2^blockBits positions of a direction. The running counts
  -- below are per (direction, block), plus this base: a window partitioned by direction alone
  -- sorts each direction on one thread (23 s of a 32-second step at 10M messages, two directions).
  SELECT d, b, coalesce(sum(k) OVER (PARTITION BY d ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS base
  FROM (SELECT d, o >> ${blockBits} AS b, count(*) FILTER (WHERE starts_epoch) AS k FROM ordered GROUP BY 1, 2)
), epochs AS (
  -- Narrow rows through the windows (o is unique per message): DuckDB's window operator carries
  -- every column of its input through its sort. The evidence columns (source hash, job id, time)
  -- are joined back by o for the few messages a break names.
  SELECT m.o, m.d, m.session, m.direction, m.msg_type, m.msg_seq_num, m.new_seq_no, m.poss_dup_flag, m.is_reset, m.starts_epoch,
    e.base + sum(m.starts_epoch::INTEGER) OVER (PARTITION BY m.d, m.o >> ${blockBits} ORDER BY m.o ROWS UNBOUNDED PRECEDING) AS epoch
  FROM ordered m JOIN epoch_base e ON e.d = m.d AND e.b = m.o >> ${blockBits}
), epoch_lo AS (
  SELECT d, session, direction, epoch,
    arg_min(CASE WHEN is_reset THEN new_seq_no WHEN starts_epoch THEN 1 ELSE msg_seq_num END, o) AS lo
  FROM epochs GROUP BY 1, 2, 3, 4
), intervals AS (
  SELECT d, session, direction, epoch, msg_seq_num AS lo,
    CASE WHEN msg_type = '4' AND new_seq_no > msg_seq_num THEN new_seq_no - 1 ELSE msg_seq_num END AS hi, o
  FROM epochs WHERE NOT is_reset
  UNION ALL
  SELECT d, session, direction, epoch, lo - 1, lo - 1, NULL FROM epoch_lo WHERE lo IS NOT NULL
), block_max AS (
  -- The running maximum the same way: the greatest hi of the blocks of 2^blockBits numbers before
  -- each block (a few rows), then a window per (direction, epoch, block).
  SELECT d, epoch, b, max(mx) OVER (PARTITION BY d, epoch ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
  FROM (SELECT d, epoch, lo >> ${blockBits} AS b, max(hi) AS mx FROM intervals GROUP BY 1, 2, 3)
), gaps AS (
  SELECT * FROM (
    SELECT i.*, greatest(x.before,
      max(i.hi) OVER (PARTITION BY i.d, i.epoch, i.lo >> ${blockBits} ORDER BY i.lo, i.hi ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS prev_max
    FROM intervals i JOIN block_max x ON x.d = i.d AND x.epoch = i.epoch AND x.b = i.lo >> ${blockBits})
  WHERE prev_max IS NOT NULL AND lo > prev_max + 1 AND o IS NOT NULL
), repeated AS (
  -- Lists only for repeated numbers: a list per number over every message cannot spill to disk.
  SELECT o, session, direction, epoch, msg_seq_num, msg_type FROM epochs
  WHERE NOT is_reset AND poss_dup_flag IS DISTINCT FROM 'Y'
  AND (d, epoch, msg_seq_num) IN (
    SELECT d, epoch, msg_seq_num FROM epochs WHERE NOT is_reset AND poss_dup_flag IS DISTINCT FROM 'Y'
    GROUP BY 1, 2, 3 HAVING count(*) > 1)
)
SELECT 'sequence_gap' AS class,
  g.session || '|' || g.direction || '|' || g.epoch || '|' || (g.prev_max + 1) || '-' || (g.lo - 1) AS match_key,
  g.session, NULL AS chain_root, NULL AS cl_ord_id, NULL AS symbol, NULL AS account,
  m.sending_time::DATE::VARCHAR AS trade_date, NULL AS notional,
  json_object('direction', g.direction, 'epoch', g.epoch, 'from_seq', g.prev_max + 1, 'to_seq', g.lo - 1,
    'missing', g.lo - 1 - g.prev_max, 'next_seq_received', g.lo)::VARCHAR AS details,
  to_json([{'output': m.output, 'source_hash': m._cf_source_hash, 'message_index': m.message_index, 'job_id': m._cf_job_id}])::VARCHAR AS evidence
FROM gaps g JOIN ordered m ON m.o = g.o
UNION ALL
SELECT 'duplicate_seq_num', r.session || '|' || r.direction || '|' || r.epoch || '|' || r.msg_seq_num,
  r.session, NULL, NULL, NULL, NULL, min(m.sending_time)::DATE::VARCHAR, NULL,
  json_object('direction', r.direction, 'epoch', r.epoch, 'seq', r.msg_seq_num, 'occurrences', count(*),
    'msg_types', list(r.msg_type ORDER BY r.o))::VARCHAR,
  to_json(list({'output': m.output, 'source_hash': m._cf_source_hash, 'message_index': m.message_index, 'job_id': m._cf_job_id} ORDER BY r.o))::VARCHAR
FROM repeated r JOIN ordered m ON m.o = r.o
GROUP BY r.session, r.direction, r.epoch, r.msg_seq_num`;
}

/** Hands the session-level candidates to `stage` in chunks (readInChunks). */
export async function sequenceCandidates(
  tx: Db,
  hasSessionEvents: boolean,
  stage: StageCandidates,
  blockBits?: number,
): Promise<void> {
  await readInChunks<CandidateRow>(tx, '_bk_sq_out', { sql: sequenceSql(hasSessionEvents, blockBits) }, stage);
}
