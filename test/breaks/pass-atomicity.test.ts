import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectBreaks, detectionStepOf } from '../../db/breaks/detect-breaks';
import { generateDataset } from '../../lib/demo/generate-dataset';
import { useTempDb } from './fix-scenario';
import { stageAndLoad } from './stage-and-load';

// A pass builds its temp tables outside a transaction (committed one by one: DuckDB scans them
// in parallel then) and opens its transaction only where readers see a change: the derived
// tables (chains, their members, messages, fills), the candidates that read them, and the
// breaks. A pass that fails inside that transaction must leave all of them as they were, and
// what it left on its connection must not disturb the next pass.

const t = useTempDb({ reset: false });

async function snapshot() {
  const one = async (sql: string) => (await t.db.all<{ h: string }>(sql))[0].h;
  return {
    chains: await t.db.all(`SELECT * EXCLUDE (chain_key) FROM order_chains ORDER BY session, chain_root`),
    members: await one(`SELECT count(*) || ':' || sum(hash(session, chain_root, cl_ord_id)) AS h FROM order_chain_members`),
    messages: await one(`SELECT count(*) || ':' || sum(hash(chain_key, seq, cells)) AS h FROM order_chain_messages`),
    fills: await t.db.all(`SELECT fill_id, chain_fill_ordinal, order_fill_ordinal, last_qty FROM order_fills ORDER BY fill_id`),
    matches: await one(`SELECT count(*) || ':' || coalesce(sum(hash(fill_id, confirmation_id, method)), 0) AS h FROM counterparty_matches`),
    breaks: await t.db.all(`SELECT break_id, class, status, details, evidence FROM breaks ORDER BY break_id`),
  };
}

describe('a detection pass is atomic where readers look', () => {
  it('leaves the derived tables and breaks as they were when it fails inside its transaction, and the next pass runs', async () => {
    const ds = await generateDataset({ orders: 200, seed: 11, outDir: path.join(t.dir, 'gen') });
    await stageAndLoad(t.db, t.dir, ds.fixPath, 'fix', 'job-fix');
    await stageAndLoad(t.db, t.dir, ds.confirmationsPath, 'confirmations_csv', 'job-conf');
    const first = await detectBreaks(t.db, { asOf: '2026-03-20' });
    expect(first.chains).toBe(200);
    expect(first.found).toBeGreaterThan(0);
    const before = await snapshot();

    // What a successful pass would change: one chain's messages are gone.
    await t.db.run(`DELETE FROM fix_order_events WHERE cl_ord_id IN (
      SELECT cl_ord_id FROM order_chain_members WHERE chain_root = (SELECT min(chain_root) FROM order_chains))`);
    // The counterparty step (inside the transaction, after the derived tables are rewritten)
    // then fails: the confirmations lose a column it reads.
    await t.db.run(`ALTER TABLE confirmations RENAME COLUMN quantity TO quantity_gone`);
    const failed = await detectBreaks(t.db, { asOf: '2026-03-20' }).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(detectionStepOf(failed)).toBe('counterparty');
    expect(await snapshot()).toEqual(before);

    await t.db.run(`ALTER TABLE confirmations RENAME COLUMN quantity_gone TO quantity`);
    const next = await detectBreaks(t.db, { asOf: '2026-03-20' });
    expect(next.chains).toBe(199);
    const after = await snapshot();
    expect(after.chains).toHaveLength(199);
    expect(after.messages).not.toBe(before.messages);
  });
});
