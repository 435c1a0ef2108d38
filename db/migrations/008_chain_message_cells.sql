-- The drill-down copy of a chain's messages keeps its display cells in one column (issue 9,
-- db/breaks/chain-message-cells.ts): a JSON array of text in the order of CHAIN_MESSAGE_CELLS.
-- A chain read cold loaded a block per column of its row group (33 columns); now 14. Rows
-- already there are converted, in their stored (chain_key, seq) order.
CREATE TABLE order_chain_messages_cells (
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
  cells VARCHAR NOT NULL
);
INSERT INTO order_chain_messages_cells
  SELECT chain_key, session, chain_root, seq, message_index, line_number, source_hash, job_id, parser_version, contract_hash,
    source_offset, source_length, sending_time,
    to_json([transact_time::VARCHAR, sender_comp_id::VARCHAR, target_comp_id::VARCHAR, msg_type::VARCHAR, msg_seq_num::VARCHAR,
      poss_dup_flag::VARCHAR, cl_ord_id::VARCHAR, orig_cl_ord_id::VARCHAR, order_id::VARCHAR, exec_id::VARCHAR, exec_ref_id::VARCHAR,
      exec_trans_type::VARCHAR, exec_type::VARCHAR, ord_status::VARCHAR, side::VARCHAR, symbol::VARCHAR, order_qty::VARCHAR,
      price::VARCHAR, last_qty::VARCHAR, last_px::VARCHAR, cum_qty::VARCHAR, leaves_qty::VARCHAR, avg_px::VARCHAR, text::VARCHAR])::VARCHAR
  FROM order_chain_messages ORDER BY chain_key, seq;
DROP TABLE order_chain_messages;
ALTER TABLE order_chain_messages_cells RENAME TO order_chain_messages;
