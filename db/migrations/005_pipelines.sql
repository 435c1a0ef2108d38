-- Pipelines (issue 7): versioned definitions, runs with their selection snapshot, and the
-- materialisation keys of files already processed. Rows are only inserted, never updated:
-- a pipeline's current definition is its highest version, its watermark the largest of its runs'.
CREATE TABLE pipeline_definitions (
  name VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  definition VARCHAR NOT NULL,          -- canonical JSON of the validated definition
  created_by VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (name, version)
);

-- One row per finished run attempt (completed or failed). A completed row makes later runs of
-- the same pipeline and logical date no-ops; a failed one does not.
CREATE TABLE pipeline_runs (
  id VARCHAR PRIMARY KEY,
  pipeline VARCHAR NOT NULL,
  definition_version INTEGER NOT NULL,
  logical_date DATE NOT NULL,
  status VARCHAR NOT NULL,              -- 'completed' | 'failed'
  trigger VARCHAR NOT NULL,             -- 'run' | 'backfill' | 'schedule'
  snapshot_hash VARCHAR,
  snapshot VARCHAR,                     -- JSON list of {path,size,mtime,sha256}
  files INTEGER NOT NULL DEFAULT 0,
  skipped_files INTEGER NOT NULL DEFAULT 0,
  job_ids VARCHAR NOT NULL DEFAULT '[]',
  watermark VARCHAR,                    -- largest mtime seen so far (ISO), this run included
  error_code VARCHAR,
  error_message VARCHAR,
  started_by VARCHAR NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
CREATE INDEX pipeline_runs_pipeline_date ON pipeline_runs (pipeline, logical_date);

-- A file processed under a parser version and contract: sha256(file sha256, parser, version, contract hash).
CREATE TABLE pipeline_materialisations (
  mkey VARCHAR PRIMARY KEY,
  pipeline VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  upload_id VARCHAR NOT NULL,
  job_ids VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- The export step of a completed run (its breaks as CSV and Parquet under the pipeline root),
-- done once the run's jobs are final. One row per exported run.
CREATE TABLE pipeline_exports (
  run_id VARCHAR PRIMARY KEY,
  pipeline VARCHAR NOT NULL,
  csv_path VARCHAR NOT NULL,            -- relative to the pipeline root
  parquet_path VARCHAR NOT NULL,
  breaks INTEGER NOT NULL,
  exported_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
