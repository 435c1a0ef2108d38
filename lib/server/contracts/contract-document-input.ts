// A contract document arriving from a client: read with H3's parseContractDocument (every
// problem reported, each with a stable code), and its scope must be a data output of a parser
// this build has (a contract nothing can run against is refused here, not at job time).
import { contractOutputsOf } from '../jobs/approved-contracts';
import { findParser } from '../jobs/parsers-for-upload';
import { parseContractDocument, type ContractDocument } from '../../contracts';
import { ApiError } from '../http/api-error';

export function readContractDocument(json: unknown): ContractDocument {
  const parsed = parseContractDocument(json);
  if (!parsed.ok) throw new ApiError('contract.invalid', 400, 'The contract document is not valid.', parsed.problems);
  const doc = parsed.contract;
  const parser = findParser(doc.parser_id);
  if (!parser || parser.version !== doc.parser_version || !contractOutputsOf(parser).includes(doc.output)) {
    throw new ApiError(
      'contract.unknown_scope',
      400,
      `No installed parser ${doc.parser_id} ${doc.parser_version} has a data output "${doc.output}".`,
    );
  }
  return doc;
}
