import type { ColumnType } from './column-type';

// The DuckDB type a contract column is stored as. The validator's canonical text for a value
// of this column casts exactly to this type (see lib/pipeline/typed-row.ts).

export function duckdbTypeOf(type: ColumnType): string {
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return 'VARCHAR';
      case 'int64':
        return 'BIGINT';
      case 'float64':
        return 'DOUBLE';
      case 'boolean':
        return 'BOOLEAN';
      case 'date':
        return 'DATE';
      case 'timestamp':
        return 'TIMESTAMP';
    }
  }
  switch (type.kind) {
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'timestamp_tz':
      return 'TIMESTAMPTZ';
    case 'enum':
      // Kept as text: an enum's value set changes with contract versions, a DuckDB ENUM type would not.
      return 'VARCHAR';
    case 'list':
      return `${duckdbTypeOf(type.of)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name.replace(/"/g, '""')}" ${duckdbTypeOf(f.type)}`).join(', ')})`;
  }
}
