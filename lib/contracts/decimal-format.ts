import type { ColumnType } from './column-type';

// Formats of decimal columns. A decimal column without `format` reads the general decimal text
// (`[+-]?digits[.digits]`, lib/pipeline/lexical/decimal.ts). `fix_float` is the FIX "float"
// data type (Price, Qty, Amt, …): an optional '-', digits, an optional point and digits; no '+',
// no exponent, no spaces. A FIX float with a '+' is not FIX: it is `format_invalid`, never
// silently stored as the unsigned value.

export const DECIMAL_FORMATS = ['fix_float'] as const;
export type DecimalFormat = (typeof DECIMAL_FORMATS)[number];

export function isDecimalType(type: ColumnType): type is { kind: 'decimal'; precision: number; scale: number } {
  return typeof type === 'object' && type.kind === 'decimal';
}

export function isDecimalFormat(format: string): format is DecimalFormat {
  return (DECIMAL_FORMATS as readonly string[]).includes(format);
}
