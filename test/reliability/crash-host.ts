// The "server" of the crash-loop tests: a real process that starts exactly what the Next server
// starts, by calling instrumentation.ts's register() (open + migrate workbench.duckdb under
// DATA_DIR, first-start accounts, the dispatcher with its start-up recovery, the pipeline
// scheduler). It serves no HTTP: a production Next build per test run would cost minutes, and the
// crash behaviour under test lives in the dispatcher, its workers and the database, not in routes.
//
// Run with `node --import tsx` and an IPC channel. Reports the dispatcher's events to the parent
// as { event, data }, answers { type: 'query', id, sql, params } with { event: 'query', id, rows |
// error } and { type: 'visible', id, jobId } with { event: 'visible', id, visible } (so the test
// can look at the database it cannot open itself while this process owns it), and on
// { type: 'stop' } stops the dispatcher, closes the database and exits 0.
// Settings come from the environment (DATA_DIR, WORKER_CONCURRENCY, DISPATCH_POLL_MS, ...),
// as for the real server.
import { register } from '../../instrumentation';
import { closeDb, getDb } from '../../db/open';
import { currentDispatcher, stopDispatcher } from '../../lib/server/jobs/dispatcher';
import { visibleOutput } from './crash-visible';

interface HostRequest {
  type: 'query' | 'visible' | 'stop';
  id?: number;
  jobId?: string;
  sql?: string;
  params?: unknown[];
}

// The test process is gone: a server without its operator stops (its workers follow).
process.on('disconnect', () => process.exit(1));

process.env.NEXT_RUNTIME = 'nodejs';
await register();
const dispatcher = await currentDispatcher();
if (!dispatcher) throw new Error('register() did not start the dispatcher');
for (const name of ['spawned', 'released', 'breaks-detected'] as const) {
  dispatcher.events.on(name, (data: unknown) => process.send?.({ event: name, data }));
}
let progressSent = false;
dispatcher.events.on('progress', (data: unknown) => {
  // The first report is enough for the tests (it says the worker is past its start).
  if (progressSent) return;
  progressSent = true;
  process.send?.({ event: 'progress', data });
});

process.on('message', (raw: unknown) => {
  const m = raw as HostRequest;
  if (m.type === 'stop') {
    void (async () => {
      await stopDispatcher();
      await closeDb();
      process.exit(0);
    })();
    return;
  }
  if (m.type === 'visible') {
    void (async () => {
      try {
        const db = await getDb();
        // One read transaction: every count comes from the same snapshot. Not serialised behind
        // writers (a promotion in progress is exactly what the reader must not see half of).
        const visible = await db.transaction((tx) => visibleOutput((sql, params) => tx.all(sql, params), m.jobId ?? ''), { serialize: false });
        process.send?.({ event: 'visible', id: m.id, visible });
      } catch (e) {
        process.send?.({ event: 'visible', id: m.id, error: (e as Error).message });
      }
    })();
    return;
  }
  if (m.type === 'query') {
    void (async () => {
      try {
        const db = await getDb();
        const rows = await db.all(m.sql ?? '', m.params ?? []);
        process.send?.({ event: 'query', id: m.id, rows });
      } catch (e) {
        process.send?.({ event: 'query', id: m.id, error: (e as Error).message });
      }
    })();
  }
});
process.send?.({ event: 'started', data: { activeJobs: dispatcher.activeJobIds() } });
