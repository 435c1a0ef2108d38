import type { ColumnType } from './column-type';

/** A column type as people read it: `decimal(18,6)`, `timestamp_tz(Europe/London)`, `enum[BUY,SELL]`. */
export function describeType(type: ColumnType): string {
  if (typeof type === 'string') return type;
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'timestamp_tz':
      return `timestamp_tz(${type.tz})`;
    case 'enum':
      return `enum[${type.values.join(',')}]`;
    case 'list':
      return `list<${describeType(type.of)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${describeType(f.type)}`).join(',')}>`;
  }
}
