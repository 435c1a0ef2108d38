// Demo seeding of contracts: for every data output of every registered parser without an
// approved contract, the parser's default contract (built from its intent) is proposed and
// submitted by `author` and approved by `reviewer`, each step audited, in one transaction per
// scope. Four eyes holds here too: the reviewer is never the author (nor an editor).
// Then jobs waiting for these contracts are released.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import {
  approveContractVersion,
  findApprovedContract,
  findContractIdByScope,
  getContractVersion,
  insertContract,
  insertContractVersion,
  nextContractVersion,
  submitContractVersion,
} from '../../../db/jobs/contract-queries';
import { canonicalJson, contentHash, defaultContractFor, scopeId } from '../../contracts';
import { listParsers } from '../../parsers/registry';
import type { ParserDefinition } from '../../parsers/parser-types';
import { appendAudit } from '../audit/append-audit';
import { contractOutputsOf } from './approved-contracts';
import { releaseAwaitingJobs } from './release-awaiting-jobs';

export class SeedError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface SeedOptions {
  author?: string;
  reviewer?: string;
  parsers?: readonly ParserDefinition[];
}

export interface SeededContract {
  scope_id: string;
  contract_id: string;
  version: number;
  content_hash: string;
  output: string;
}

async function seedScope(db: Db, parser: ParserDefinition, output: string, author: string, reviewer: string): Promise<SeededContract | null> {
  const scope = scopeId(parser.id, parser.version, output);
  return db.transaction(async (tx) => {
    if (await findApprovedContract(tx, scope)) return null;
    let contractId = await findContractIdByScope(tx, scope);
    if (contractId === null) {
      contractId = randomUUID();
      await insertContract(tx, { id: contractId, scopeId: scope, parserId: parser.id, parserVersion: parser.version, output, createdBy: author });
    }
    const subject = (v: number) => `contract:${contractId}@${v}`;
    const document = defaultContractFor(parser, output);
    const hash = contentHash(document);
    const version = await nextContractVersion(tx, contractId);
    await insertContractVersion(tx, {
      id: randomUUID(), contractId, scopeId: scope, parserId: parser.id, parserVersion: parser.version, output, version,
      documentJson: canonicalJson(document), contentHash: hash, author,
    });
    await appendAudit(tx, {
      actor: author,
      action: 'contract.proposed',
      subject: subject(version),
      details: { scope_id: scope, parser_id: parser.id, parser_version: parser.version, output, content_hash: hash, source: 'parser_intent' },
    });
    if (!(await submitContractVersion(tx, contractId, version))) throw new SeedError('contract.not_draft', 'the new version is not a draft');
    await appendAudit(tx, { actor: author, action: 'contract.submitted', subject: subject(version), details: { content_hash: hash } });
    const proposed = await getContractVersion(tx, contractId, version);
    if (!proposed || proposed.author === reviewer || proposed.editors.includes(reviewer)) {
      throw new SeedError('contract.self_approval', `${reviewer} authored or edited ${subject(version)} and cannot approve it`);
    }
    const approved = await approveContractVersion(tx, {
      approvalId: randomUUID(), contractId, version, contentHash: hash, reviewer, comment: 'Default contract from the parser intent (demo seed).',
    });
    if (!approved) throw new SeedError('contract.hash_mismatch', `${subject(version)} could not be approved for ${hash}`);
    await appendAudit(tx, { actor: reviewer, action: 'contract.approved', subject: subject(version), details: { content_hash: hash, scope_id: scope } });
    return { scope_id: scope, contract_id: contractId, version, content_hash: hash, output };
  });
}

export async function seedDefaultContracts(db: Db, opts: SeedOptions = {}): Promise<SeededContract[]> {
  const author = opts.author ?? 'author';
  const reviewer = opts.reviewer ?? 'reviewer';
  if (author === reviewer) throw new SeedError('contract.self_approval', 'the author of a contract cannot approve it');
  const seeded: SeededContract[] = [];
  for (const parser of opts.parsers ?? listParsers()) {
    for (const output of contractOutputsOf(parser)) {
      const s = await seedScope(db, parser, output, author, reviewer);
      if (s) seeded.push(s);
    }
  }
  await releaseAwaitingJobs(db, reviewer);
  return seeded;
}
