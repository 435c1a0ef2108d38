// Gives a finished Parquet file its final name: fsync under the temporary name, then rename.
// After a crash the final name holds either nothing or the whole file, and once the name exists
// its bytes are on disk (the promotion that later loads it, and the warehouse that keeps it,
// never meet a file whose data the page cache lost). The fault sites of the reliability suite
// sit between the steps (worker/fault-points.ts).
import { open, rename } from 'node:fs/promises';
import { faultPoint, ioFault } from './fault-points';

export async function publishParquetFile(tmpPath: string, finalPath: string): Promise<void> {
  ioFault('parquet_fsync', 'fsync', tmpPath);
  const fh = await open(tmpPath, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  faultPoint('parquet_written'); // crash: the Parquet file is complete, before the rename
  ioFault('parquet_rename', 'rename', finalPath);
  await rename(tmpPath, finalPath);
}
