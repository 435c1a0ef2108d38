import { createHash } from 'node:crypto';
import type { BreakClass } from './break-classes';

/**
 * The stable id of a break: sha256 (hex) of `class|match key`. The same difference found by a
 * later run gets the same id, so its status, assignee, comments and first_seen survive.
 */
export function breakId(cls: BreakClass, matchKey: string): string {
  return createHash('sha256').update(`${cls}|${matchKey}`, 'utf8').digest('hex');
}

/** Joins key parts; null parts become '' so the key stays positional. */
export function matchKey(...parts: (string | null | undefined)[]): string {
  return parts.map((p) => p ?? '').join('|');
}
