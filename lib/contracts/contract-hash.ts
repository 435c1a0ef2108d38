import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ContractDocument } from './contract-document';

// Identity of a contract scope and of a contract's content. Node-only (node:crypto): browser
// code imports contract-document.ts directly, not this file.

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 hex of `parser_id:parser_version:output`. */
export function scopeId(parserId: string, parserVersion: string, output: string): string {
  return sha256Hex(`${parserId}:${parserVersion}:${output}`);
}

/**
 * sha256 hex of the canonical JSON of `{ columns, mode, quarantine }` (plus
 * `allow_nested_types: true` when set, since it changes what is accepted). The scope fields are
 * excluded (they are the scope id); column descriptions are included: any edit is a new hash.
 */
export function contentHash(
  contract: Pick<ContractDocument, 'columns' | 'mode' | 'quarantine' | 'allow_nested_types'> & Partial<Pick<ContractDocument, 'quarantine_inherit'>>,
): string {
  // `quarantine_inherit` only when non-empty: documents without it keep their hash.
  const inherit = contract.quarantine_inherit && contract.quarantine_inherit.length > 0 ? [...contract.quarantine_inherit].sort() : undefined;
  return sha256Hex(
    canonicalJson({
      allow_nested_types: contract.allow_nested_types === true ? true : undefined,
      columns: contract.columns,
      mode: contract.mode,
      quarantine: contract.quarantine,
      quarantine_inherit: inherit,
    }),
  );
}
