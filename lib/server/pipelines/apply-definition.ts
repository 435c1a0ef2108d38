// apply: validates a definition and stores it as the pipeline's next version (audited). The same
// document as the current version is not stored again (apply is idempotent).
import type { Db } from '../../../db/open';
import { insertDefinition, latestDefinition } from '../../../db/pipelines/pipeline-queries';
import { canonicalJson } from '../../contracts';
import { parsePipelineDefinition, type PipelineDefinition } from '../../pipelines/pipeline-definition';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { pipelineRoot, resolveUnderRoot } from './pipeline-root';

export interface AppliedDefinition {
  name: string;
  version: number;
  changed: boolean;
  definition: PipelineDefinition;
}

export async function applyDefinition(db: Db, input: unknown, opts: { actor: string; root?: string }): Promise<AppliedDefinition> {
  const parsed = parsePipelineDefinition(input);
  if (!parsed.ok) {
    const escape = parsed.problems.find((p) => p.code === 'pipeline.path_escape');
    if (escape) throw new ApiError('pipeline.path_escape', 400, escape.message, parsed.problems);
    throw new ApiError(parsed.problems[0].code, 400, `The definition is not valid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, parsed.problems);
  }
  const def = parsed.definition;
  const root = opts.root ?? pipelineRoot();
  // The source directory is created when missing (a drop directory to be filled); symlinks out are refused.
  await resolveUnderRoot(root, def.source.dir, { create: true });
  if (def.export) await resolveUnderRoot(root, def.export.dir, { create: true });
  const text = canonicalJson(def);
  return db.transaction(async (tx) => {
    const current = await latestDefinition(tx, def.name);
    if (current && current.definition === text) return { name: def.name, version: current.version, changed: false, definition: def };
    const version = (current?.version ?? 0) + 1;
    await insertDefinition(tx, { name: def.name, version, definition: text, createdBy: opts.actor });
    await appendAudit(tx, { actor: opts.actor, action: 'pipeline.applied', subject: `pipeline:${def.name}@${version}`, details: { definition: def } });
    return { name: def.name, version, changed: true, definition: def };
  });
}
