-- Control plane core: accounts, sessions, the audit log, uploads.

CREATE TABLE users (
  username VARCHAR PRIMARY KEY,
  password_hash VARCHAR NOT NULL,       -- scrypt$N$r$p$salt$hash (lib/server/auth/password.ts)
  display_name VARCHAR,
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- A user holds any number of roles; role names are the keys of lib/server/permissions.ts.
CREATE TABLE user_roles (
  username VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  PRIMARY KEY (username, role)
);

-- Only the sha256 of a session token is stored: a copy of the database cannot log anyone in.
CREATE TABLE sessions (
  token_hash VARCHAR PRIMARY KEY,
  username VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  expires_at TIMESTAMPTZ NOT NULL
);

-- Append-only (written only by lib/server/audit/append-audit.ts); hash chains each entry to
-- the previous one, so an altered or removed row is found by verify-audit-chain.ts.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  "at" TIMESTAMPTZ NOT NULL,
  actor VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  details VARCHAR NOT NULL,             -- canonical JSON text, as hashed
  prev_hash VARCHAR NOT NULL,
  hash VARCHAR NOT NULL
);

-- One row per accepted upload. The bytes live at data/uploads/<sha256> (decompressed when the
-- upload was .gz); the same bytes uploaded again get their own row pointing at the first.
CREATE TABLE uploads (
  id VARCHAR PRIMARY KEY,
  sha256 VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,                -- 'fix' | 'confirmations'
  original_name VARCHAR NOT NULL,       -- escaped for display, never used as a path
  size_bytes BIGINT NOT NULL,           -- bytes stored (decompressed)
  received_bytes BIGINT NOT NULL,       -- bytes received over the wire
  gzip BOOLEAN NOT NULL,
  uploaded_by VARCHAR NOT NULL,
  uploaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  duplicate_of VARCHAR                  -- id of the earlier upload with the same sha256 and kind
);
CREATE INDEX uploads_sha256 ON uploads (sha256);
