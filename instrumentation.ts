// Server start (Next.js calls register() once, before serving). Node.js runtime only: the
// database and worker processes cannot live in the edge runtime, and the imports are dynamic
// so the edge bundle never sees them. Order: open + migrate the database, first-start
// accounts, the job dispatcher (which first recovers jobs left RUNNING), then the demo data
// (demo mode, first start only; its jobs then run in the background).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getDb } = await import('./db/open');
  const db = await getDb(); // opening applies the migrations
  const { ensureInitialUsers } = await import('./lib/server/auth/initial-users');
  await ensureInitialUsers(db);
  const { deleteExpiredSessions } = await import('./lib/server/auth/sessions');
  await deleteExpiredSessions(db);
  const { startDispatcher } = await import('./lib/server/jobs/dispatcher');
  await startDispatcher();
  // Pipelines with a cron schedule (and their export step): a once-a-minute tick (issue 7).
  const { startPipelineScheduler } = await import('./lib/server/pipelines/scheduler-tick');
  startPipelineScheduler();
  const { loadDemoIfFirstStart } = await import('./lib/server/demo/load-demo');
  // A failed demo load is logged (and retried at the next start); the server still serves.
  await loadDemoIfFirstStart().catch(() => undefined);
}
