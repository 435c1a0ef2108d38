// Where a job's files live under DATA_DIR. Staging is private to one attempt; the warehouse
// holds promoted output only, laid out `<output>/job=<id>/` (Hive-style, readable by any engine).
import path from 'node:path';

// Job ids are UUIDs; output names come from parsers and approved contracts. Both become path
// segments, so both are held to a shape that cannot climb out of the data directory.
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OUTPUT_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export function isJobId(id: string): boolean {
  return JOB_ID.test(id);
}

export function assertJobId(id: string): string {
  if (!isJobId(id)) throw new Error(`job.bad_id: ${JSON.stringify(id)} is not a job id`);
  return id;
}

export function assertOutputName(name: string): string {
  if (!OUTPUT_NAME.test(name)) throw new Error(`job.bad_output_name: ${JSON.stringify(name)} cannot name an output`);
  return name;
}

export function stagingRoot(dataDir: string): string {
  return path.join(dataDir, 'staging');
}

export function stagingDirFor(dataDir: string, jobId: string): string {
  return path.join(stagingRoot(dataDir), assertJobId(jobId));
}

export function warehouseRoot(dataDir: string): string {
  return path.join(dataDir, 'warehouse');
}

export function warehouseDirFor(dataDir: string, output: string, jobId: string): string {
  return path.join(warehouseRoot(dataDir), assertOutputName(output), `job=${assertJobId(jobId)}`);
}

/** The file names the pipeline runner writes per output inside the staging directory. */
export const STAGED_FILES = {
  valid: 'valid.parquet',
  quarantine: 'quarantine.parquet',
  errors: 'errors.parquet',
  manifest: 'manifest.json',
} as const;
