-- The drill-down's lookups read one row of a high-cardinality text column out of a segment of
-- thousands (issue 9). A database created in DuckDB 1.5's storage format (db/open.ts) compresses
-- text as DICT_FSST, whose scan decodes the segment's dictionary, here every value of it: on a 1M
-- run's database a ClOrdID's chains took 2.3–2.4 ms to find instead of 1.6, its fills 3.8–4.0
-- instead of 2.5. Those columns are stored with zstd instead, which decodes one vector per read
-- (1.5–1.6 and 2.6–2.7 ms) and costs less to write (order_fills: 0.8–1.0 CPU-s at 1M against
-- 1.2). A file of the older format has no zstd for text and keeps those columns uncompressed:
-- as fast to read, larger. Low-cardinality columns (session, symbol, side, account, lineage)
-- keep DuckDB's choice. Rows already there are kept, in their stored order.
CREATE TABLE order_fills_z (
  chain_key UBIGINT NOT NULL,
  fill_id VARCHAR NOT NULL USING COMPRESSION zstd,
  session VARCHAR NOT NULL,
  chain_root VARCHAR NOT NULL USING COMPRESSION zstd,
  cl_ord_id VARCHAR USING COMPRESSION zstd,
  order_id VARCHAR USING COMPRESSION zstd,
  exec_id VARCHAR NOT NULL USING COMPRESSION zstd,
  current_exec_id VARCHAR NOT NULL USING COMPRESSION zstd,
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
INSERT INTO order_fills_z SELECT * FROM order_fills ORDER BY chain_key, chain_fill_ordinal;
DROP TABLE order_fills;
ALTER TABLE order_fills_z RENAME TO order_fills;

CREATE TABLE order_chain_members_z (
  member_key UBIGINT NOT NULL,
  session VARCHAR NOT NULL,
  chain_root VARCHAR NOT NULL USING COMPRESSION zstd,
  cl_ord_id VARCHAR NOT NULL USING COMPRESSION zstd
);
INSERT INTO order_chain_members_z SELECT * FROM order_chain_members ORDER BY member_key;
DROP TABLE order_chain_members;
ALTER TABLE order_chain_members_z RENAME TO order_chain_members;

CREATE TABLE order_chain_messages_z (
  chain_key UBIGINT NOT NULL,
  session VARCHAR NOT NULL,
  chain_root VARCHAR NOT NULL USING COMPRESSION zstd,
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
  cells VARCHAR NOT NULL
);
INSERT INTO order_chain_messages_z SELECT * FROM order_chain_messages ORDER BY chain_key, seq;
DROP TABLE order_chain_messages;
ALTER TABLE order_chain_messages_z RENAME TO order_chain_messages;
