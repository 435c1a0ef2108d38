import type { ParserDefinition } from '../parsers/parser-types';
import type { ContractDocument, ContractMode } from './contract-document';

// The first draft of a contract for a scope, built from the parser's declared intent. FIX
// outputs have a fixed column set (strict); delimited files such as confirmations commonly carry
// columns of their own, which are tolerated (allow_extra). The quarantine policy of a draft allows
// quarantine up to 10 % of the rows (a document that omits the policy gets the stricter default).

const STRICT_PARSERS: ReadonlySet<string> = new Set(['fix']);

export class UnknownOutputError extends Error {
  readonly code = 'contract.unknown_output';
  constructor(parserId: string, output: string) {
    super(`parser ${parserId} declares no output "${output}"`);
  }
}

export function defaultModeFor(parserId: string): ContractMode {
  return STRICT_PARSERS.has(parserId) ? 'strict' : 'allow_extra';
}

export function defaultContractFor(parser: Pick<ParserDefinition, 'id' | 'version' | 'outputs'>, outputName: string): ContractDocument {
  const intent = parser.outputs.find((o) => o.name === outputName);
  if (!intent) throw new UnknownOutputError(parser.id, outputName);
  return {
    parser_id: parser.id,
    parser_version: parser.version,
    output: outputName,
    mode: defaultModeFor(parser.id),
    // structuredClone: the draft is edited later; it must not alias the parser's intent.
    columns: structuredClone(intent.columns),
    quarantine: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null },
  };
}
