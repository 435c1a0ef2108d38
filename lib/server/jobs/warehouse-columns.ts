import { LINEAGE_COLUMNS, QUARANTINE_META_COLUMNS, type ColumnCompression, type WarehouseColumn } from '../../../db/jobs/warehouse-tables';
import { duckdbTypeOf, type ContractDocument } from '../../contracts';
import { FIX_OUTPUTS } from '../../fix/fix-output-columns';

// How DuckDB stores some warehouse columns, where its own choice is known to cost more. This is
// beside the contract, not in it: a contract says what a column holds (name, type, nullability)
// and reviewers approve that; how its bytes are compressed changes no value read back.
//
// The FIX parser's `fields` (every tag=value of the message as JSON, unique per row, hundreds of
// bytes) is the widest column of its outputs and nothing in the pass or the pages scans it. With
// DuckDB's own choice (DICT_FSST) loading one byte range's 500k rows cost 2.92 CPU-s; with zstd
// 2.46, in a third fewer blocks (docs/performance.md, "`fields` stored with zstd").
const COLUMN_COMPRESSION: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, ColumnCompression>>>>>> = {
  fix: {
    [FIX_OUTPUTS.orderEvents]: { fields: 'zstd' },
    [FIX_OUTPUTS.sessionEvents]: { fields: 'zstd' },
  },
};

/** The compression this build asks for a column of a parser's output; null for DuckDB's own choice. */
export function columnCompressionOf(parserId: string, output: string, column: string): ColumnCompression | null {
  return COLUMN_COMPRESSION[parserId]?.[output]?.[column] ?? null;
}

/** The warehouse table of a data output: the contract's columns (with their storage), then lineage. */
export function warehouseColumnsOf(contract: ContractDocument, parserId: string, output: string): WarehouseColumn[] {
  return [
    ...contract.columns.map((c): WarehouseColumn => {
      const compression = columnCompressionOf(parserId, output, c.name);
      return { name: c.name, sqlType: duckdbTypeOf(c.type), ...(compression ? { compression } : {}) };
    }),
    ...LINEAGE_COLUMNS,
  ];
}

/** The quarantine table of a data output: every contract column as text, then the quarantine's own. */
export function quarantineColumnsOf(contract: ContractDocument): WarehouseColumn[] {
  return [...contract.columns.map((c) => ({ name: c.name, sqlType: 'VARCHAR' })), ...QUARANTINE_META_COLUMNS];
}
