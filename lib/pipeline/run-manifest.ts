// The run manifest of a job: what went in (file, parser, contracts) and what came out (counts,
// statuses, result hashes), so that two runs can be compared and a result traced to its inputs.
// Plain JSON, snake_case, written as manifest.json beside the staged outputs.

export interface ManifestOutputInput {
  /** null when the output had no contract (status 'no_contract') */
  contractHash: string | null;
  scopeId?: string | null;
  status: string;
  /** rows validated (valid + quarantined) */
  rows: number;
  validRows: number;
  quarantineRows: number;
  violations?: Record<string, number>;
  resultHash: string | null;
  lineageUnavailableRows?: number;
  files?: string[];
  reason?: string | null;
}

export interface RunManifestInput {
  jobId: string;
  status: string;
  input: { sha256: string; sizeBytes: number; name?: string | null };
  parser: { id: string; version: string; logicHash: string };
  outputs: Record<string, ManifestOutputInput>;
  parseErrors?: Record<string, number>;
  warnings?: readonly string[];
  startedAt?: string;
  finishedAt?: string;
  /** byte range for a partial run */
  range?: { start: number; end: number } | null;
}

export interface RunManifest {
  manifest_version: 1;
  job_id: string;
  status: string;
  input: { sha256: string; size_bytes: number; name: string | null };
  parser: { id: string; version: string; logic_hash: string };
  outputs: Record<
    string,
    {
      status: string;
      reason: string | null;
      contract_hash: string | null;
      scope_id: string | null;
      rows: number;
      valid_rows: number;
      quarantine_rows: number;
      violations: Record<string, number>;
      lineage_unavailable_rows: number;
      result_hash: string | null;
      files: string[];
    }
  >;
  parse_errors: Record<string, number>;
  warnings: string[];
  range: { start: number; end: number } | null;
  started_at: string | null;
  finished_at: string | null;
}

export function buildRunManifest(m: RunManifestInput): RunManifest {
  const outputs: RunManifest['outputs'] = {};
  for (const name of Object.keys(m.outputs).sort()) {
    const o = m.outputs[name];
    outputs[name] = {
      status: o.status,
      reason: o.reason ?? null,
      contract_hash: o.contractHash,
      scope_id: o.scopeId ?? null,
      rows: o.rows,
      valid_rows: o.validRows,
      quarantine_rows: o.quarantineRows,
      // only non-zero counts, sorted, so the manifest reads the same for the same run
      violations: Object.fromEntries(Object.entries(o.violations ?? {}).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1))),
      lineage_unavailable_rows: o.lineageUnavailableRows ?? 0,
      result_hash: o.resultHash,
      files: [...(o.files ?? [])],
    };
  }
  return {
    manifest_version: 1,
    job_id: m.jobId,
    status: m.status,
    input: { sha256: m.input.sha256, size_bytes: m.input.sizeBytes, name: m.input.name ?? null },
    parser: { id: m.parser.id, version: m.parser.version, logic_hash: m.parser.logicHash },
    outputs,
    parse_errors: { ...(m.parseErrors ?? {}) },
    warnings: [...(m.warnings ?? [])],
    range: m.range ?? null,
    started_at: m.startedAt ?? null,
    finished_at: m.finishedAt ?? null,
  };
}
