import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../lib/contracts/canonical-json';
import { contentHash, scopeId } from '../../lib/contracts/contract-hash';
import { parseContractDocument } from '../../lib/contracts/contract-document';
import { defaultContractFor, UnknownOutputError } from '../../lib/contracts/default-contract';
import { duckdbTypeOf } from '../../lib/contracts/duckdb-type';
import { ORDER_EVENT_COLUMNS } from '../../lib/fix/fix-output-columns';
import type { ParserDefinition } from '../../lib/parsers/parser-types';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
  });
});

describe('scopeId and contentHash', () => {
  it('scopeId is sha256 of parser_id:parser_version:output', () => {
    expect(scopeId('fix', '1.0.0', 'fix_order_events')).toBe(sha('fix:1.0.0:fix_order_events'));
  });

  const doc = {
    parser_id: 'p', parser_version: '1.0.0', output: 'o', mode: 'strict' as const,
    columns: [{ name: 'a', type: { kind: 'decimal' as const, precision: 18, scale: 6 }, nullable: false }],
    quarantine: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null },
  };

  it('is sha256 of the canonical JSON of columns, mode and policy', () => {
    expect(contentHash(doc)).toBe(sha(canonicalJson({ columns: doc.columns, mode: doc.mode, quarantine: doc.quarantine })));
  });

  it('does not depend on key order; changes with any enforced edit; not with the scope', () => {
    const reordered = JSON.parse('{"quarantine":{"max_quarantine_count":null,"max_quarantine_pct":10,"allow_quarantine":true},"mode":"strict","columns":[{"nullable":false,"type":{"scale":6,"precision":18,"kind":"decimal"},"name":"a"}],"output":"x","parser_version":"2","parser_id":"q"}');
    expect(contentHash(reordered)).toBe(contentHash(doc));
    expect(contentHash({ ...doc, mode: 'allow_extra' })).not.toBe(contentHash(doc));
    expect(contentHash({ ...doc, quarantine: { ...doc.quarantine, max_quarantine_pct: 11 } })).not.toBe(contentHash(doc));
    expect(contentHash({ ...doc, columns: [{ ...doc.columns[0], type: { kind: 'decimal', precision: 18, scale: 5 } }] })).not.toBe(contentHash(doc));
    expect(contentHash({ ...doc, columns: [{ ...doc.columns[0], nullable: true }] })).not.toBe(contentHash(doc));
  });
});

describe('duckdbTypeOf', () => {
  it.each([
    ['string', 'VARCHAR'],
    ['int64', 'BIGINT'],
    ['float64', 'DOUBLE'],
    ['boolean', 'BOOLEAN'],
    ['date', 'DATE'],
    ['timestamp', 'TIMESTAMP'],
    [{ kind: 'decimal', precision: 18, scale: 6 }, 'DECIMAL(18,6)'],
    [{ kind: 'timestamp_tz', tz: 'Europe/London' }, 'TIMESTAMPTZ'],
    [{ kind: 'enum', values: ['A'] }, 'VARCHAR'],
    [{ kind: 'list', of: 'int64' }, 'BIGINT[]'],
  ] as const)('%j → %s', (type, expected) => {
    expect(duckdbTypeOf(type as never)).toBe(expected);
  });
});

describe('defaultContractFor', () => {
  const parser = (id: string): Pick<ParserDefinition, 'id' | 'version' | 'outputs'> => ({
    id,
    version: '1.0.0',
    outputs: [{ name: 'fix_order_events', description: '', columns: ORDER_EVENT_COLUMNS }],
  });

  it('builds a valid strict contract for FIX outputs from the intent, not aliasing it', () => {
    const c = defaultContractFor(parser('fix'), 'fix_order_events');
    expect(c.mode).toBe('strict');
    expect(c.quarantine).toEqual({ allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null });
    expect(c.columns).toEqual(ORDER_EVENT_COLUMNS);
    expect(c.columns[0]).not.toBe(ORDER_EVENT_COLUMNS[0]);
    const r = parseContractDocument(c);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('uses allow_extra for other parsers and refuses an unknown output', () => {
    expect(defaultContractFor(parser('confirmations_csv'), 'fix_order_events').mode).toBe('allow_extra');
    expect(() => defaultContractFor(parser('fix'), 'nope')).toThrow(UnknownOutputError);
  });
});
