// New draft versions: from a document (the API), from the parser's intent, from an observed
// schema, or by copying the version in force. The author is recorded; the draft and its audit
// entry are written in one transaction.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import { findContractIdByScope, insertContract, insertContractVersion, nextContractVersion } from '../../../db/jobs/contract-queries';
import { canonicalJson, contentHash, defaultContractFor, scopeId, type ColumnSpec, type ContractDocument } from '../../contracts';
import type { ObservedSchema } from '../../pipeline/observed-schema';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { findParser } from '../jobs/parsers-for-upload';
import { requireActorPermission, type Actor } from './contract-actor';
import { readContractDocument } from './contract-document-input';
import { contractSubject } from './contract-subject';
import { contractTransaction } from './contract-transaction';
import { loadVersion } from './contract-version-queries';
import { recordObservedSchema } from './observed-schemas';

export type DraftSource = 'document' | 'parser_intent' | 'observed_schema' | 'current_version';

export interface DraftCreated {
  id: string;
  version: number;
  status: 'draft';
  content_hash: string;
}

export async function requireProposer(tx: Db, actor: Actor): Promise<void> {
  await requireActorPermission(tx, actor, 'contracts.propose', 'contract.not_author', 'Proposing or editing a contract needs the author role.');
}

/** A new draft version of the document's scope (the contract is created on first use). */
export async function createDraft(
  db: Db,
  actor: Actor,
  json: unknown,
  opts: { source?: DraftSource; observed?: { schema: ObservedSchema; source: string } } = {},
): Promise<DraftCreated> {
  const doc = readContractDocument(json);
  const scope = scopeId(doc.parser_id, doc.parser_version, doc.output);
  const hash = contentHash(doc);
  return contractTransaction(db, async (tx) => {
    await requireProposer(tx, actor);
    let contractId = await findContractIdByScope(tx, scope);
    if (contractId === null) {
      contractId = randomUUID();
      await insertContract(tx, { id: contractId, scopeId: scope, parserId: doc.parser_id, parserVersion: doc.parser_version, output: doc.output, createdBy: actor.username });
    }
    const version = await nextContractVersion(tx, contractId);
    await insertContractVersion(tx, {
      id: randomUUID(), contractId, scopeId: scope, parserId: doc.parser_id, parserVersion: doc.parser_version, output: doc.output,
      version, documentJson: canonicalJson(doc), contentHash: hash, author: actor.username,
    });
    if (opts.observed) {
      await recordObservedSchema(tx, { scopeId: scope, source: opts.observed.source, observed: opts.observed.schema, recordedBy: actor.username });
    }
    await appendAudit(tx, {
      actor: actor.username,
      action: 'contract.proposed',
      subject: contractSubject(contractId, version),
      details: { scope_id: scope, parser_id: doc.parser_id, parser_version: doc.parser_version, output: doc.output, content_hash: hash, source: opts.source ?? 'document' },
    });
    return { id: contractId, version, status: 'draft' as const, content_hash: hash };
  });
}

export function intentDocument(parserId: string, output: string): ContractDocument {
  const parser = findParser(parserId);
  if (!parser) throw new ApiError('contract.unknown_scope', 400, `No parser ${parserId} is installed.`);
  try {
    return defaultContractFor(parser, output);
  } catch {
    throw new ApiError('contract.unknown_scope', 400, `Parser ${parserId} has no output "${output}".`);
  }
}

export function draftFromIntent(db: Db, actor: Actor, parserId: string, output: string): Promise<DraftCreated> {
  return createDraft(db, actor, intentDocument(parserId, output), { source: 'parser_intent' });
}

/**
 * The columns an observed schema shows, each typed by its narrowest reading (an all-null column
 * becomes a nullable string), on top of the intent's mode and quarantine policy. The observed
 * schema is recorded for the scope, so approval is checked against it.
 */
export function observedDocument(parserId: string, output: string, observed: ObservedSchema): ContractDocument {
  const base = intentDocument(parserId, output);
  const columns: ColumnSpec[] = observed.columns.map((c) => {
    const spec: ColumnSpec = { name: c.name, type: c.column_type ?? 'string', nullable: c.nullable || c.column_type === null };
    if (c.format && c.column_type !== null) spec.format = c.format;
    return spec;
  });
  return { ...base, columns };
}

export function draftFromObserved(db: Db, actor: Actor, parserId: string, output: string, observed: ObservedSchema, source: string): Promise<DraftCreated> {
  return createDraft(db, actor, observedDocument(parserId, output, observed), { source: 'observed_schema', observed: { schema: observed, source } });
}

/** A new draft holding a copy of an existing version (the amendment starts from it). */
export async function draftFromVersion(db: Db, actor: Actor, contractId: string, version: number): Promise<DraftCreated> {
  const from = await loadVersion(db, contractId, version);
  if (!from) throw new ApiError('contract.not_found', 404, 'No such contract version.');
  return createDraft(db, actor, from.document, { source: 'current_version' });
}
