// A pipeline definition (issue 7): where files come from (a directory under PIPELINE_ROOT),
// which files are selected (glob or extension, `since` on mtime), which parser reads them,
// an optional 5-field cron schedule and an optional export step. The CLI reads JSON or YAML
// (the `yaml` package) and sends JSON; the server validates the JSON document here.
import { Duration } from 'luxon';
import { z } from 'zod';
import { parseCron } from './cron-schedule';
import { checkRelativePath } from './path-under-root';

export const PIPELINE_PARSER_IDS = ['fix', 'confirmations_csv'] as const;

const relativePath = z.string().min(1).superRefine((value, ctx) => {
  const problem = checkRelativePath(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `pipeline.path_escape: ${problem}` });
});

export const pipelineDefinitionSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and -, at most 64'),
    source: z.object({ dir: relativePath }).strict(),
    filters: z
      .object({
        glob: z.string().min(1).optional(),
        extension: z.string().regex(/^\.?[A-Za-z0-9._-]+$/).optional(),
        since: z
          .string()
          .refine((s) => Duration.fromISO(s).isValid, 'an ISO-8601 duration such as P1D or PT12H')
          .optional(),
      })
      .strict()
      .default({}),
    parser: z.enum(PIPELINE_PARSER_IDS),
    schedule: z
      .string()
      .refine((s) => parseCron(s).ok, 'a 5-field cron expression (minute hour day-of-month month day-of-week)')
      .optional(),
    export: z.object({ dir: relativePath }).strict().optional(),
  })
  .strict();

export type PipelineDefinition = z.infer<typeof pipelineDefinitionSchema>;

export interface DefinitionProblem {
  code: string;
  path: string;
  message: string;
}

export type ParsedDefinition = { ok: true; definition: PipelineDefinition } | { ok: false; problems: DefinitionProblem[] };

/** Validates a definition given as JSON text or an already parsed value. */
export function parsePipelineDefinition(input: unknown): ParsedDefinition {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, problems: [{ code: 'pipeline.bad_json', path: '', message: (e as Error).message }] };
    }
  }
  const r = pipelineDefinitionSchema.safeParse(value);
  if (r.success) return { ok: true, definition: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => ({
      code: i.message.startsWith('pipeline.path_escape') ? 'pipeline.path_escape' : 'pipeline.invalid',
      path: i.path.join('.'),
      message: i.message,
    })),
  };
}
