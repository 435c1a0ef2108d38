-- Governance, second part (issue 6): the quarantine settings cascade, observed schemas of real
-- jobs, and the audit trail of replayed quarantine rows. VARCHAR columns hold canonical JSON.

-- The global quarantine setting: one row per change, the latest in force. Each value may be
-- absent from `policy` (that key falls through to the built-in default).
CREATE TABLE quarantine_global_settings (
  id VARCHAR PRIMARY KEY,
  policy VARCHAR NOT NULL,              -- PartialPolicy JSON
  set_by VARCHAR NOT NULL,
  set_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- A per-upload override, set with the upload by a user holding quarantine.override (checked
-- when set). Jobs of the upload (upload_id = the canonical upload) created after it use it.
CREATE TABLE upload_quarantine_overrides (
  id VARCHAR PRIMARY KEY,
  upload_id VARCHAR NOT NULL,           -- the upload as received
  canonical_upload_id VARCHAR NOT NULL, -- the upload whose jobs run (itself or duplicate_of)
  policy VARCHAR NOT NULL,              -- PartialPolicy JSON
  set_by VARCHAR NOT NULL,
  set_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
CREATE INDEX upload_quarantine_overrides_upload ON upload_quarantine_overrides (canonical_upload_id);

-- The effective policy of each output of a job, resolved when the attempt was claimed, with the
-- source of every value (ResolvedPolicy JSON). The job page shows it.
CREATE TABLE job_quarantine_settings (
  job_id VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  resolved VARCHAR NOT NULL,
  resolved_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (job_id, output)
);

-- The observed schema of each data output of a job, inferred from the first rows of its source
-- (a bounded sample, off the per-row path). Approval is checked against the latest ones.
-- basis: 'passing_rows' when most sampled rows passed the job's contract (inferred from those:
-- the rest are value errors), else 'all_rows' (the contract does not fit the data).
CREATE TABLE job_observed_schemas (
  job_id VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  scope_id VARCHAR NOT NULL,
  observed VARCHAR NOT NULL,
  sample_rows BIGINT NOT NULL,
  basis VARCHAR NOT NULL CHECK (basis IN ('passing_rows', 'all_rows')),
  failing_rows BIGINT NOT NULL DEFAULT 0,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (job_id, output)
);
CREATE INDEX job_observed_schemas_scope ON job_observed_schemas (scope_id);

-- Quarantine rows promoted by a replay leave <output>_quarantine; the original row (every value
-- and violation, as JSON) is kept here. quarantine_replays still marks (job, output, q_row).
CREATE TABLE quarantine_replayed_rows (
  job_id VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  q_row BIGINT NOT NULL,
  replay_id VARCHAR NOT NULL,
  row_json VARCHAR NOT NULL,
  replayed_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (job_id, output, q_row)
);
