-- Jobs, their outputs and attempts, schema contracts (minimal lifecycle tables), parse errors.
-- JSON documents are stored as VARCHAR holding canonical JSON text: no dependency on the json
-- extension being loaded, and the text is exactly what was hashed or reported.
-- No FOREIGN KEYs: DuckDB checks them eagerly on UPDATE of referenced rows inside one
-- transaction; referential integrity is kept by the code in db/jobs (one writer process).

CREATE TABLE jobs (
  id VARCHAR PRIMARY KEY,
  upload_id VARCHAR NOT NULL,
  source_path VARCHAR NOT NULL,
  source_sha256 VARCHAR NOT NULL,
  source_name VARCHAR,
  source_bytes BIGINT,
  parser_id VARCHAR NOT NULL,
  parser_version VARCHAR NOT NULL,
  logic_hash VARCHAR NOT NULL,
  status VARCHAR NOT NULL CHECK (status IN ('QUEUED', 'AWAITING_CONTRACT', 'RUNNING', 'SUCCESS', 'PARTIAL_SUCCESS', 'FAILED')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 4,
  run_after TIMESTAMPTZ,
  error_code VARCHAR,
  error_message VARCHAR,
  progress VARCHAR,
  metrics VARCHAR,
  manifest VARCHAR,
  contracts VARCHAR,
  created_by VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  started_at TIMESTAMPTZ,
  heartbeat_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ,
  promoted_at TIMESTAMPTZ
);

CREATE TABLE job_attempts (
  job_id VARCHAR NOT NULL,
  attempt INTEGER NOT NULL,
  worker_pid INTEGER,
  started_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  finished_at TIMESTAMPTZ,
  outcome VARCHAR CHECK (outcome IS NULL OR outcome IN ('completed', 'failed', 'abandoned')),
  error_code VARCHAR,
  error_message VARCHAR,
  PRIMARY KEY (job_id, attempt)
);

CREATE TABLE job_outputs (
  job_id VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('data', 'errors')),
  status VARCHAR NOT NULL,
  rows BIGINT NOT NULL DEFAULT 0,
  quarantine_rows BIGINT NOT NULL DEFAULT 0,
  violations VARCHAR,
  result_hash VARCHAR,
  contract_id VARCHAR,
  contract_version INTEGER,
  contract_hash VARCHAR,
  files VARCHAR,
  promoted BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (job_id, output)
);

CREATE TABLE contracts (
  id VARCHAR PRIMARY KEY,
  scope_id VARCHAR NOT NULL UNIQUE,
  parser_id VARCHAR NOT NULL,
  parser_version VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  created_by VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE TABLE contract_versions (
  id VARCHAR NOT NULL UNIQUE,
  contract_id VARCHAR NOT NULL,
  scope_id VARCHAR NOT NULL,
  parser_id VARCHAR NOT NULL,
  parser_version VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  status VARCHAR NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'superseded')),
  document VARCHAR NOT NULL,
  content_hash VARCHAR NOT NULL,
  author VARCHAR NOT NULL,
  editors VARCHAR NOT NULL DEFAULT '[]',
  approved_by VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  submitted_at TIMESTAMPTZ,
  decided_at TIMESTAMPTZ,
  PRIMARY KEY (contract_id, version)
);

CREATE TABLE contract_approvals (
  id VARCHAR PRIMARY KEY,
  contract_id VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  content_hash VARCHAR NOT NULL,
  decision VARCHAR NOT NULL CHECK (decision IN ('approved', 'rejected')),
  reviewer VARCHAR NOT NULL,
  comment VARCHAR,
  decided_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

CREATE TABLE parse_errors (
  job_id VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  code VARCHAR NOT NULL,
  message VARCHAR,
  raw VARCHAR,
  line_number BIGINT,
  source_offset BIGINT,
  source_length BIGINT
);

-- One row per one-time start-up action done (e.g. 'demo_loaded').
CREATE TABLE app_markers (
  name VARCHAR PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  details VARCHAR
);
