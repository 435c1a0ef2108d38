// Parquet sinks: typed Parquet files from canonical text rows, through an in-memory DuckDB.
export { createParquetSink, type ParquetSink, type ParquetSinkOptions, type ParquetSinkResult } from './parquet-sink';
export {
  LINEAGE_COLUMNS,
  PARSE_ERROR_COLUMNS,
  QUARANTINE_TRAILER_COLUMNS,
  quarantineColumns,
  withConstants,
  type SinkColumn,
} from './sink-columns';
export { countParquetRows, readParquetColumns, readParquetKvMetadata, readParquetRowsAsText, type ParquetColumnInfo } from './read-parquet';
