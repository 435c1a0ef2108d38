-- Trade breaks (DESIGN.md "Trade breaks", issue 5) and the derived order state break detection
-- keeps between runs. JSON documents are VARCHAR holding JSON text (as in 002). No FOREIGN KEYs
-- (DuckDB checks them eagerly on UPDATE inside a transaction); db/breaks keeps the references.

-- One row per break, keyed by a stable id: sha256 of `class|match key` (lib/breaks/break-id.ts),
-- so status, assignee, comments and first_seen survive re-runs of detection.
CREATE TABLE breaks (
  break_id VARCHAR PRIMARY KEY,
  class VARCHAR NOT NULL,
  family VARCHAR NOT NULL CHECK (family IN ('lifecycle', 'session', 'counterparty')),
  match_key VARCHAR NOT NULL,
  cl_ord_id VARCHAR,
  chain_root VARCHAR,
  session VARCHAR,
  symbol VARCHAR,
  account VARCHAR,
  status VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'resolved', 'false_positive')),
  assignee VARCHAR,
  severity VARCHAR NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  -- Notional impact the severity was derived from (exact decimal text), null when none applies.
  notional DECIMAL(38, 10),
  trade_date DATE,
  age_days INTEGER,
  -- Rule-specific facts: reported vs computed values, tolerances, match trace.
  details VARCHAR NOT NULL,
  -- [{"output","source_hash","message_index","job_id"}] or confirmation rows: the rows that prove the break.
  evidence VARCHAR NOT NULL,
  first_seen TIMESTAMPTZ NOT NULL,
  last_seen TIMESTAMPTZ NOT NULL,
  -- Why the break was closed: 'auto: …' when detection stopped finding it, else the analyst's reason.
  closed_reason VARCHAR,
  closed_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
CREATE INDEX breaks_class ON breaks (class);
CREATE INDEX breaks_cl_ord_id ON breaks (cl_ord_id);
CREATE INDEX breaks_chain ON breaks (session, chain_root);

CREATE TABLE break_comments (
  comment_id VARCHAR PRIMARY KEY,
  break_id VARCHAR NOT NULL,
  author VARCHAR NOT NULL,
  body VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
CREATE INDEX break_comments_break ON break_comments (break_id);

-- Every change of a break: detected, reopened, auto_closed, assign, comment, resolve, …
CREATE TABLE break_events (
  event_id VARCHAR PRIMARY KEY,
  break_id VARCHAR NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  actor VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  from_status VARCHAR,
  to_status VARCHAR,
  details VARCHAR
);
CREATE INDEX break_events_break ON break_events (break_id);

-- Derived order state, rewritten per session by detection (no primary keys: rows of a session are
-- deleted and re-inserted in one transaction, which DuckDB's eager index checks would refuse).
-- ClOrdID → chain membership.
CREATE TABLE order_chain_members (
  session VARCHAR NOT NULL,
  chain_root VARCHAR NOT NULL,
  cl_ord_id VARCHAR NOT NULL
);
CREATE INDEX order_chain_members_cl_ord_id ON order_chain_members (cl_ord_id);

-- The order summary per chain: reported vs computed from the surviving fills.
CREATE TABLE order_chains (
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
CREATE INDEX order_chains_root ON order_chains (chain_root);

-- Surviving fills (busts and corrections applied, PossDup resends ignored), the input of
-- counterparty matching. fill_id = session|original ExecID.
CREATE TABLE order_fills (
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
CREATE INDEX order_fills_session ON order_fills (session);

-- Our fill ↔ their confirmation, as matched by the last counterparty pass. A fuzzy match needs review.
CREATE TABLE counterparty_matches (
  fill_id VARCHAR NOT NULL,
  confirmation_id VARCHAR NOT NULL,
  method VARCHAR NOT NULL,
  needs_review BOOLEAN NOT NULL,
  trade_date DATE
);
