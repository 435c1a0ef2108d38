// The SQL expression that turns a staged text cell into its column's DuckDB type. Values come
// validated and in canonical form, so a plain CAST is exact (no rounding happens because no
// canonical decimal has more fractional digits than its scale).
//
// One measured exception: VARCHAR → DECIMAL with precision > 18 (a HUGEINT decimal) costs about
// 10 µs per value in DuckDB 1.5 (a 24-digit price column alone capped a run at ~70k rows/s).
// Values that fit DECIMAL(18, s) take the fast BIGINT-decimal cast and are then widened, which
// is exact; the rest take the direct cast. "Fits" is decided by TRY_CAST itself: on canonical
// text (exactly `s` fractional digits, so nothing to round) it is NULL only on overflow (or on a
// NULL cell, which the direct cast keeps NULL). coalesce evaluates the direct cast only on those
// rows. Measured on 1M fix_order_events rows (7 such columns, one DuckDB thread): 0.46 s CPU
// against 0.79 s for the former CASE on the digit count (strpos / length / left per value).
import { quoteIdent } from '../sql';

const DECIMAL_TYPE = /^DECIMAL\((\d+),\s*(\d+)\)$/i;

/**
 * The scale s when `duckdbType` is a HUGEINT decimal (precision > 18) whose values may take the
 * fast path through DECIMAL(18, s) (same scale: exact, NULL from TRY_CAST only on overflow);
 * null otherwise. Shared by the text → decimal cast here and the decimal → text cast of
 * db/breaks/sql-fragments.ts (textOfSql).
 */
export function narrowDecimalScale(duckdbType: string): number | null {
  const dec = DECIMAL_TYPE.exec(duckdbType.trim());
  if (!dec) return null;
  const scale = Number(dec[2]);
  return Number(dec[1]) > 18 && scale < 18 ? scale : null;
}

export function castFromTextSql(columnName: string, duckdbType: string): string {
  const col = quoteIdent(columnName);
  const type = duckdbType.trim();
  if (/^VARCHAR$/i.test(type)) return col;
  const dec = DECIMAL_TYPE.exec(type);
  if (dec) {
    const precision = Number(dec[1]);
    const scale = Number(dec[2]);
    const target = `DECIMAL(${precision},${scale})`;
    if (narrowDecimalScale(type) !== null) {
      return `coalesce(CAST(TRY_CAST(${col} AS DECIMAL(18,${scale})) AS ${target}), CAST(${col} AS ${target}))`;
    }
    return `CAST(${col} AS ${target})`;
  }
  return `CAST(${col} AS ${type})`;
}
