-- Breaks speed (issue 5 "Benchmark", issue 9): the drill-down reads a chain's messages from a
-- table detection keeps, instead of searching fix_order_events on every request.
--
-- One row per message of a chain, as the drill-down timeline shows it (the columns of the
-- message row, untrimmed, and its lineage). Rewritten per scope session by detection, like
-- order_chain_members. Rows are inserted sorted by chain_key, so a lookup on chain_key reads one
-- row group (zone maps); chain_key = hash(session || '|' || chain_root) computed by DuckDB both
-- when written and when read (a lookup also checks session and chain_root, so a collision costs
-- nothing but a few extra rows read). No index: an ART index would stay in memory and be
-- rebuilt on every detection run.
CREATE TABLE order_chain_messages (
  chain_key UBIGINT NOT NULL,
  session VARCHAR NOT NULL,
  chain_root VARCHAR NOT NULL,
  seq BIGINT NOT NULL,
  message_index BIGINT,
  line_number BIGINT,
  source_hash VARCHAR,
  job_id VARCHAR,
  parser_version VARCHAR,
  contract_hash VARCHAR,
  source_offset BIGINT,
  source_length BIGINT,
  sending_time TIMESTAMPTZ,
  transact_time TIMESTAMPTZ,
  sender_comp_id VARCHAR,
  target_comp_id VARCHAR,
  msg_type VARCHAR,
  msg_seq_num BIGINT,
  poss_dup_flag VARCHAR,
  cl_ord_id VARCHAR,
  orig_cl_ord_id VARCHAR,
  order_id VARCHAR,
  exec_id VARCHAR,
  exec_ref_id VARCHAR,
  exec_trans_type VARCHAR,
  exec_type VARCHAR,
  ord_status VARCHAR,
  side VARCHAR,
  symbol VARCHAR,
  order_qty VARCHAR,
  price VARCHAR,
  last_qty VARCHAR,
  last_px VARCHAR,
  cum_qty VARCHAR,
  leaves_qty VARCHAR,
  avg_px VARCHAR,
  text VARCHAR
);

-- Surviving fills and their counterparty matches carry the chain_key of their chain and are
-- inserted sorted by it, for the same one-row-group lookup (the drill-down's fills). The tables
-- are recreated with the key first; rows already there are kept.
CREATE TABLE order_fills_keyed (
  chain_key UBIGINT NOT NULL,
  fill_id VARCHAR NOT NULL,
  session VARCHAR NOT NULL,
  chain_root VARCHAR NOT NULL,
  cl_ord_id VARCHAR,
  order_id VARCHAR,
  exec_id VARCHAR NOT NULL,
  current_exec_id VARCHAR NOT NULL,
  trd_match_id VARCHAR,
  symbol VARCHAR,
  side VARCHAR,
  account VARCHAR,
  last_qty DECIMAL(24, 8) NOT NULL,
  last_px DECIMAL(24, 10),
  trade_date DATE,
  settl_date DATE,
  transact_time TIMESTAMPTZ,
  order_fill_ordinal BIGINT,
  chain_fill_ordinal BIGINT NOT NULL,
  source_hash VARCHAR,
  message_index BIGINT,
  job_id VARCHAR
);
INSERT INTO order_fills_keyed SELECT hash(session || '|' || chain_root), * FROM order_fills ORDER BY 1, chain_fill_ordinal;
DROP TABLE order_fills;
ALTER TABLE order_fills_keyed RENAME TO order_fills;

CREATE TABLE counterparty_matches_keyed (
  chain_key UBIGINT,
  fill_id VARCHAR NOT NULL,
  confirmation_id VARCHAR NOT NULL,
  method VARCHAR NOT NULL,
  needs_review BOOLEAN NOT NULL,
  trade_date DATE
);
INSERT INTO counterparty_matches_keyed
  SELECT (SELECT any_value(f.chain_key) FROM order_fills f WHERE f.fill_id = m.fill_id) AS chain_key, m.*
  FROM counterparty_matches m ORDER BY 1;
DROP TABLE counterparty_matches;
ALTER TABLE counterparty_matches_keyed RENAME TO counterparty_matches;

-- The order summary per chain, keyed and sorted the same way (the drill-down's summary).
CREATE TABLE order_chains_keyed (
  chain_key UBIGINT NOT NULL,
  session VARCHAR NOT NULL,
  chain_root VARCHAR NOT NULL,
  cl_ord_ids VARCHAR[] NOT NULL,
  order_ids VARCHAR[],
  symbol VARCHAR,
  side VARCHAR,
  account VARCHAR,
  currency VARCHAR,
  venue VARCHAR,
  time_in_force VARCHAR,
  order_qty DECIMAL(24, 8),
  price DECIMAL(24, 10),
  reported_cum_qty DECIMAL(24, 8),
  reported_leaves_qty DECIMAL(24, 8),
  reported_avg_px DECIMAL(24, 10),
  computed_cum_qty DECIMAL(38, 8),
  computed_notional DECIMAL(38, 18),
  ord_status VARCHAR,
  is_terminal BOOLEAN NOT NULL,
  trade_date DATE,
  first_seen TIMESTAMPTZ,
  last_seen TIMESTAMPTZ,
  message_count BIGINT NOT NULL,
  fill_count BIGINT NOT NULL
);
INSERT INTO order_chains_keyed SELECT hash(session || '|' || chain_root), * FROM order_chains ORDER BY 1;
DROP TABLE order_chains;
ALTER TABLE order_chains_keyed RENAME TO order_chains;
