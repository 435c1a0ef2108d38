import { logicHashOf } from '../parsers/logic-hash';

// logic_hash of the fix parser: sha256 over its own sources (lib/fix/*.ts, sorted, tests
// excluded), through the shared helper that finds the repository root (WORKBENCH_ROOT, else
// the package.json named trade-break-workbench above the working directory) and caches it.
export function fixLogicHash(): string {
  return logicHashOf('lib/fix');
}
