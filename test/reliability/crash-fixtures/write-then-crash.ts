// Child process of crash-reopen.test.ts: opens the database the way the server does, commits
// rows into an indexed table, and dies with SIGKILL before any checkpoint (the rows live only
// in the WAL, as after a real server crash).
import { openDatabase } from '../../../db/open';

const [file, dataDir, migrationsDir] = process.argv.slice(2);
const db = await openDatabase({ file, dataDir, migrationsDir });
await db.transaction(async (tx) => {
  await tx.run(`DELETE FROM observed WHERE job_id = 'j1'`);
  await tx.run(`INSERT INTO observed VALUES ('j1', 'a', 's1', 'x'), ('j1', 'b', 's2', 'y')`);
});
process.kill(process.pid, 'SIGKILL');
