// The contract half of a materialisation key: the content hashes of the approved contracts of
// every data output of the parser ('none' for an output without one), so approving a new
// contract makes already processed files eligible again.
import { createHash } from 'node:crypto';
import type { Db } from '../../../db/open';
import type { ParserDefinition } from '../../parsers/parser-types';
import { approvedContractsFor, contractOutputsOf } from '../jobs/approved-contracts';

export async function contractHashForParser(db: Db, parser: ParserDefinition): Promise<string> {
  const outputs = contractOutputsOf(parser).sort();
  const { snapshots } = await approvedContractsFor(db, parser, outputs);
  const parts = outputs.map((o) => `${o}=${snapshots[o]?.content_hash ?? 'none'}`);
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
