-- Contract governance (issue 6), on top of the contract tables of 002.
-- Observed schemas recorded for a scope (a draft made from observed data, a preview on the
-- Parser Bench). Approval diffs a version against the latest one: an unresolved type mismatch
-- blocks it. Stored as canonical JSON text (the ObservedSchema of lib/pipeline).
CREATE TABLE contract_observed_schemas (
  id VARCHAR PRIMARY KEY,
  scope_id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,              -- e.g. 'job:<id>', 'upload:<id>', 'draft'
  observed VARCHAR NOT NULL,
  recorded_by VARCHAR NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
CREATE INDEX contract_observed_schemas_scope ON contract_observed_schemas (scope_id);

-- Quarantined rows promoted by a replay under an amended contract. The quarantine row stays
-- where it is (its job's evidence); this marks it replayed, so it is never promoted twice.
-- (job_id, output, q_row) is the stable key of a quarantine row (q_row = its _q_row).
CREATE TABLE quarantine_replays (
  job_id VARCHAR NOT NULL,
  output VARCHAR NOT NULL,
  q_row BIGINT NOT NULL,
  replay_id VARCHAR NOT NULL,
  contract_id VARCHAR NOT NULL,
  contract_version INTEGER NOT NULL,
  contract_hash VARCHAR NOT NULL,
  replayed_by VARCHAR NOT NULL,
  replayed_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (job_id, output, q_row)
);
