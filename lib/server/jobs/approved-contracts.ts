// Which approved contract governs each output of a parser version. A job runs only when every
// data output of its parser has one (the error output is written as is, never contract-checked).
import type { Db } from '../../../db/open';
import { findApprovedContract } from '../../../db/jobs/contract-queries';
import type { JobContractRef } from '../../../db/jobs/job-row';
import { parseContractDocument, scopeId, type ContractDocument } from '../../contracts';
import type { ParserDefinition } from '../../parsers/parser-types';

export interface ContractSnapshot extends JobContractRef {
  document: ContractDocument;
}

/** The outputs of a parser that need an approved contract. */
export function contractOutputsOf(parser: Pick<ParserDefinition, 'outputs' | 'errorOutput'>): string[] {
  return parser.outputs.map((o) => o.name).filter((name) => name !== parser.errorOutput);
}

export interface ApprovedContracts {
  snapshots: Record<string, ContractSnapshot>;
  /** Outputs without an approved contract. */
  missing: string[];
}

export async function approvedContractsFor(
  db: Db,
  parser: { id: string; version: string },
  outputs: readonly string[],
): Promise<ApprovedContracts> {
  const snapshots: Record<string, ContractSnapshot> = {};
  const missing: string[] = [];
  for (const output of outputs) {
    const approved = await findApprovedContract(db, scopeId(parser.id, parser.version, output));
    if (approved === null) {
      missing.push(output);
      continue;
    }
    const parsed = parseContractDocument(approved.document);
    if (!parsed.ok || parsed.contract.output !== output) {
      // An approved document that no longer reads is not a contract a job may run against.
      missing.push(output);
      continue;
    }
    snapshots[output] = {
      contract_id: approved.contract_id,
      version: approved.version,
      content_hash: approved.content_hash,
      document: parsed.contract,
    };
  }
  return { snapshots, missing };
}

export function contractRefs(snapshots: Record<string, ContractSnapshot>): Record<string, JobContractRef> {
  const refs: Record<string, JobContractRef> = {};
  for (const [output, s] of Object.entries(snapshots)) {
    refs[output] = { contract_id: s.contract_id, version: s.version, content_hash: s.content_hash };
  }
  return refs;
}
