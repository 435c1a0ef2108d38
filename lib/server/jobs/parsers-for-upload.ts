// Which parsers run on an upload of a given kind: one job per upload and parser.
import { getParser } from '../../parsers/registry';
import type { ParserDefinition } from '../../parsers/parser-types';

export type UploadKind = 'fix' | 'confirmations';

const PARSER_IDS_BY_KIND: Readonly<Record<UploadKind, readonly string[]>> = {
  fix: ['fix'],
  confirmations: ['confirmations_csv'],
};

export function parserIdsForKind(kind: UploadKind): readonly string[] {
  return PARSER_IDS_BY_KIND[kind];
}

/** The parser as the registry holds it now, or null if the id is unknown. */
export function findParser(id: string): ParserDefinition | null {
  return getParser(id) ?? null;
}
