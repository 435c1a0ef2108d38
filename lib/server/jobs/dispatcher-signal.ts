// "There may be work": enqueueing and contract approval call notifyJobsReady(); the dispatcher
// listens. Kept on globalThis because Next.js bundles route handlers and instrumentation into
// separate module graphs, and both must reach the one dispatcher of the process.
type Listener = () => void;
type GlobalWithSignal = typeof globalThis & { __workbenchJobsReady?: Set<Listener> };

function listeners(): Set<Listener> {
  const g = globalThis as GlobalWithSignal;
  g.__workbenchJobsReady ??= new Set();
  return g.__workbenchJobsReady;
}

export function notifyJobsReady(): void {
  for (const l of listeners()) l();
}

export function onJobsReady(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}
