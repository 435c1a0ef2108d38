// The SQL expression that turns a staged text cell into its column's DuckDB type. Values come
// validated and in canonical form, so a plain CAST is exact (no rounding happens because no
// canonical decimal has more fractional digits than its scale).
//
// One measured exception: VARCHAR → DECIMAL with precision > 18 (a HUGEINT decimal) costs about
// 10 µs per value in DuckDB 1.5 (a 24-digit price column alone capped a run at ~70k rows/s).
// Values whose integer part fits DECIMAL(18, s) take the fast BIGINT-decimal cast and are then
// widened, which is exact; the rest take the direct cast.
import { quoteIdent } from '../sql';

const DECIMAL_TYPE = /^DECIMAL\((\d+),\s*(\d+)\)$/i;

export function castFromTextSql(columnName: string, duckdbType: string): string {
  const col = quoteIdent(columnName);
  const type = duckdbType.trim();
  if (/^VARCHAR$/i.test(type)) return col;
  const dec = DECIMAL_TYPE.exec(type);
  if (dec) {
    const precision = Number(dec[1]);
    const scale = Number(dec[2]);
    const target = `DECIMAL(${precision},${scale})`;
    if (precision > 18 && scale < 18) {
      // Digits before the point (a leading '-' or '+' excluded) must fit 18 - scale.
      const intDigits = `(coalesce(nullif(strpos(${col}, '.'), 0) - 1, length(${col})) - CASE WHEN left(${col}, 1) IN ('-', '+') THEN 1 ELSE 0 END)`;
      return `CASE WHEN ${intDigits} <= ${18 - scale} THEN CAST(CAST(${col} AS DECIMAL(18,${scale})) AS ${target}) ELSE CAST(${col} AS ${target}) END`;
    }
    return `CAST(${col} AS ${target})`;
  }
  return `CAST(${col} AS ${type})`;
}
