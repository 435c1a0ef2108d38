import { z } from 'zod';

// Tolerances, the fuzzy-match window and the severity thresholds of break detection.
// Every amount is an exact decimal string (never a JS number); the SQL binds them as DECIMAL.
//
// A delta is within a tolerance when |theirs − ours| ≤ abs OR |theirs − ours| ≤ rel × |ours|
// (equal to the tolerance matches). abs '0' and rel '0' mean exact equality.
//
// Defaults and why:
// - quantity   abs 0, rel 0        quantities are integral lots on both sides: any difference is a break.
// - price      abs 0, rel 0.0001   1 basis point: confirmations often carry fewer decimals than LastPx.
// - avg_px     abs 0.0001, rel 0   engines round AvgPx(6) (commonly to 4 decimals); this absorbs it.
// - fuzzy time window 300 s        a confirmation's time is the counterparty's clock, minutes apart at worst.
// - severity   notional ≥ 10 000 medium, ≥ 100 000 high, ≥ 1 000 000 critical; +1 level from
//              2 business days of age, +2 from 5 (T+1 settlement pressure).

const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal as text, e.g. "0.0001"');
const toleranceSchema = z.object({ abs: decimalText, rel: decimalText }).strict();

export const breakConfigSchema = z
  .object({
    tolerances: z
      .object({ quantity: toleranceSchema, price: toleranceSchema, avg_px: toleranceSchema })
      .strict(),
    fuzzy: z.object({ time_window_seconds: z.number().int().min(0).max(86_400) }).strict(),
    severity: z
      .object({
        medium: decimalText,
        high: decimalText,
        critical: decimalText,
        age_bump_days: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
      })
      .strict(),
  })
  .strict();

export type BreakConfig = z.infer<typeof breakConfigSchema>;
export type Tolerance = z.infer<typeof toleranceSchema>;

export const DEFAULT_BREAK_CONFIG: BreakConfig = {
  tolerances: {
    quantity: { abs: '0', rel: '0' },
    price: { abs: '0', rel: '0.0001' },
    avg_px: { abs: '0.0001', rel: '0' },
  },
  fuzzy: { time_window_seconds: 300 },
  severity: { medium: '10000', high: '100000', critical: '1000000', age_bump_days: [2, 5] },
};

export type BreakConfigOverride = {
  tolerances?: Partial<BreakConfig['tolerances']>;
  fuzzy?: Partial<BreakConfig['fuzzy']>;
  severity?: Partial<BreakConfig['severity']>;
};

/** Defaults overlaid with an override, validated; problems are data, not exceptions. */
export function resolveBreakConfig(
  override: BreakConfigOverride = {},
): { ok: true; config: BreakConfig } | { ok: false; problems: { code: 'breaks.bad_config'; path: string; message: string }[] } {
  const merged = {
    tolerances: { ...DEFAULT_BREAK_CONFIG.tolerances, ...override.tolerances },
    fuzzy: { ...DEFAULT_BREAK_CONFIG.fuzzy, ...override.fuzzy },
    severity: { ...DEFAULT_BREAK_CONFIG.severity, ...override.severity },
  };
  const parsed = breakConfigSchema.safeParse(merged);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => ({ code: 'breaks.bad_config' as const, path: i.path.join('.'), message: i.message })),
  };
}
