import type { Db } from '../open';
import type { CandidateRow } from './candidate-row';
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

export function sequenceSql(hasSessionEvents: boolean): string {
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
), ordered AS (
  SELECT m.*,
    m.msg_type = '4' AND coalesce(m.gap_fill_flag, 'N') <> 'Y' AS is_reset,
    (m.msg_type = 'A' AND (m.reset_seq_num_flag = 'Y' OR m.msg_seq_num = 1)) OR (m.msg_type = '4' AND coalesce(m.gap_fill_flag, 'N') <> 'Y') AS starts_epoch,
    f.file_rank * 1099511627776 + m.message_index AS o
  FROM msgs m JOIN files f USING (_cf_source_hash)
), epochs AS (
  SELECT *, sum(starts_epoch::INTEGER) OVER (PARTITION BY session, direction ORDER BY o ROWS UNBOUNDED PRECEDING) AS epoch
  FROM ordered
), epoch_lo AS (
  SELECT session, direction, epoch,
    arg_min(CASE WHEN is_reset THEN new_seq_no WHEN starts_epoch THEN 1 ELSE msg_seq_num END, o) AS lo
  FROM epochs GROUP BY 1, 2, 3
), intervals AS (
  SELECT session, direction, epoch, msg_seq_num AS lo,
    CASE WHEN msg_type = '4' AND new_seq_no > msg_seq_num THEN new_seq_no - 1 ELSE msg_seq_num END AS hi,
    sending_time, output, _cf_source_hash, message_index, _cf_job_id
  FROM epochs WHERE NOT is_reset
  UNION ALL
  SELECT session, direction, epoch, lo - 1, lo - 1, NULL, NULL, NULL, NULL, NULL FROM epoch_lo WHERE lo IS NOT NULL
), running AS (
  SELECT *, max(hi) OVER (PARTITION BY session, direction, epoch ORDER BY lo, hi ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
  FROM intervals
)
SELECT 'sequence_gap' AS class,
  session || '|' || direction || '|' || epoch || '|' || (prev_max + 1) || '-' || (lo - 1) AS match_key,
  session, NULL AS chain_root, NULL AS cl_ord_id, NULL AS symbol, NULL AS account,
  sending_time::DATE::VARCHAR AS trade_date, NULL AS notional,
  json_object('direction', direction, 'epoch', epoch, 'from_seq', prev_max + 1, 'to_seq', lo - 1,
    'missing', lo - 1 - prev_max, 'next_seq_received', lo)::VARCHAR AS details,
  to_json([{'output': output, 'source_hash': _cf_source_hash, 'message_index': message_index, 'job_id': _cf_job_id}])::VARCHAR AS evidence
FROM running WHERE prev_max IS NOT NULL AND lo > prev_max + 1 AND output IS NOT NULL
UNION ALL
SELECT 'duplicate_seq_num', session || '|' || direction || '|' || epoch || '|' || msg_seq_num,
  session, NULL, NULL, NULL, NULL, min(sending_time)::DATE::VARCHAR, NULL,
  json_object('direction', direction, 'epoch', epoch, 'seq', msg_seq_num, 'occurrences', count(*),
    'msg_types', list(msg_type ORDER BY o))::VARCHAR,
  to_json(list({'output': output, 'source_hash': _cf_source_hash, 'message_index': message_index, 'job_id': _cf_job_id} ORDER BY o))::VARCHAR
FROM epochs WHERE NOT is_reset AND poss_dup_flag IS DISTINCT FROM 'Y'
  -- Lists only for repeated numbers: a list per number over every message cannot spill to disk.
  AND (session, direction, epoch, msg_seq_num) IN (
    SELECT session, direction, epoch, msg_seq_num FROM epochs WHERE NOT is_reset AND poss_dup_flag IS DISTINCT FROM 'Y'
    GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)
GROUP BY session, direction, epoch, msg_seq_num HAVING count(*) > 1`;
}

export async function sequenceCandidates(tx: Db, hasSessionEvents: boolean): Promise<CandidateRow[]> {
  return tx.all<CandidateRow>(sequenceSql(hasSessionEvents));
}
