// What app/ (pages and route handlers) calls for the cross-job quarantine browser, on the
// process's database. app/ never imports db/ itself.
import { getDb } from '../../../db/open';
import { browseQuarantine, quarantineColumnsOf, quarantineRowDetail, type QuarantineBrowsePage, type QuarantineRowDetail } from './browse-quarantine';
import { quarantineCsvStream } from './quarantine-csv';
import type { QuarantineFilters } from './quarantine-filters';

export { parseQuarantineFilters, parseBrowseLimit, filtersToParams, MAX_BROWSE_LIMIT, type QuarantineFilters } from './quarantine-filters';
export type { QuarantineBrowsePage, QuarantineRowDetail, QuarantineRowView } from './browse-quarantine';

export async function quarantinePageFor(f: QuarantineFilters, cursor: string | null, limit: number): Promise<QuarantineBrowsePage> {
  return browseQuarantine(await getDb(), f, cursor, limit);
}

export async function quarantineRowFor(output: string, ref: string): Promise<QuarantineRowDetail | null> {
  return quarantineRowDetail(await getDb(), output, ref);
}

export async function quarantineExportStream(f: QuarantineFilters): Promise<ReadableStream<Uint8Array>> {
  const db = await getDb();
  await quarantineColumnsOf(db, f); // an unknown output is refused before the stream starts
  return quarantineCsvStream(db, f);
}
