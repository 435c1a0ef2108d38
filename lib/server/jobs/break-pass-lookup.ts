// Where this process's break-detection passes are, for the jobs pages: set by the process's one
// dispatcher while it runs (startDispatcher), read by jobs-service. Kept on globalThis because
// Next.js bundles route handlers and instrumentation into separate module graphs; this way the
// pages reach the dispatcher's queue without importing the dispatcher (and what it runs).
import type { BreakPassView } from './break-pass-progress';

export type BreakPassLookup = (jobId: string) => BreakPassView | null;

type GlobalWithLookup = typeof globalThis & { __workbenchBreakPass?: BreakPassLookup };

export function setBreakPassLookup(lookup: BreakPassLookup | undefined): void {
  (globalThis as GlobalWithLookup).__workbenchBreakPass = lookup;
}

/** undefined without a running dispatcher in this process (a CLI, a server that failed to start one). */
export function breakPassLookup(): BreakPassLookup | undefined {
  return (globalThis as GlobalWithLookup).__workbenchBreakPass;
}
