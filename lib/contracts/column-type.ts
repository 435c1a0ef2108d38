import { z } from 'zod';

// Column types of a schema contract (and of a parser's declared intent).
// Primitive types are plain strings; parameterised types are objects with a `kind`.
// list / struct exist so that a document naming them can be read and refused with a clear
// reason (they are accepted only where a contract sets `allow_nested_types`).

export const PRIMITIVE_TYPES = ['string', 'int64', 'float64', 'boolean', 'date', 'timestamp'] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

export const decimalTypeSchema = z
  .object({
    kind: z.literal('decimal'),
    precision: z.number().int().min(1).max(38),
    scale: z.number().int().min(0).max(38),
  })
  .strict()
  .refine((t) => t.scale <= t.precision, { message: 'scale must not exceed precision', path: ['scale'] });

export const timestampTzTypeSchema = z
  .object({ kind: z.literal('timestamp_tz'), tz: z.string().min(1) })
  .strict();

export const enumTypeSchema = z
  .object({ kind: z.literal('enum'), values: z.array(z.string()).min(1) })
  .strict();

export type ColumnType =
  | PrimitiveType
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'timestamp_tz'; tz: string }
  | { kind: 'enum'; values: string[] }
  | { kind: 'list'; of: ColumnType }
  | { kind: 'struct'; fields: { name: string; type: ColumnType }[] };

export const columnTypeSchema: z.ZodType<ColumnType> = z.lazy(() =>
  z.union([
    z.enum(PRIMITIVE_TYPES),
    decimalTypeSchema,
    timestampTzTypeSchema,
    enumTypeSchema,
    z.object({ kind: z.literal('list'), of: columnTypeSchema }).strict(),
    z
      .object({
        kind: z.literal('struct'),
        fields: z.array(z.object({ name: z.string().min(1), type: columnTypeSchema }).strict()).min(1),
      })
      .strict(),
  ]),
);

/** Formats a column may name: three built-in ones, or a luxon pattern (e.g. `yyyy-MM-dd`). */
export const BUILTIN_FORMATS = ['iso8601', 'fix_utc_timestamp', 'fix_local_mkt_date'] as const;

export const columnSpecSchema = z
  .object({
    name: z.string().min(1).max(128),
    type: columnTypeSchema,
    nullable: z.boolean(),
    format: z.string().min(1).optional(),
    description: z.string().optional(),
  })
  .strict();
export type ColumnSpec = z.infer<typeof columnSpecSchema>;
