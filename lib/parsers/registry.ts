import { fixParser } from '../fix/index';
import { confirmationsParser } from './confirmations';
import { containsFixMarker, looksLikeText } from './confirmations/sniff-confirmations';
import type { ParserDefinition } from './parser-types';

// The parsers this build knows. A job records a parser's id and version; the worker refuses a
// job whose version is not the one registered here.

const PARSERS: readonly ParserDefinition[] = [fixParser, confirmationsParser];

export function listParsers(): ParserDefinition[] {
  return [...PARSERS];
}

export function getParser(id: string): ParserDefinition | undefined {
  return PARSERS.find((p) => p.id === id);
}

/**
 * The parser for a file from its first bytes: FIX when `8=FIX` appears anywhere in the head
 * (logs often prefix messages with timestamps or arrows), else the confirmations CSV parser
 * when the head is text; null for anything else (binary data).
 */
export function detectParser(head: Uint8Array): ParserDefinition | null {
  if (containsFixMarker(head)) return getParser('fix') ?? null;
  if (looksLikeText(head)) return getParser('confirmations_csv') ?? null;
  return null;
}
