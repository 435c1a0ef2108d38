// The cross-job quarantine browser on real jobs: filters (output, violation type — first or any,
// job, file by sha256 and by name, date range), keyset pages that add up to the one-page answer
// and are bound to their filters, replayed rows hidden by default and marked when shown, the row
// detail with every violation and the exact source bytes, the CSV export's neutralisation, and
// the routes' answers per role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseQuarantine, quarantineRowDetail } from '../../lib/server/quarantine/browse-quarantine';
import { quarantineCsvText } from '../../lib/server/quarantine/quarantine-csv';
import { quarantineExportStream, quarantineMatchesFor } from '../../lib/server/quarantine/quarantine-service';
import { parseQuarantineFilters, type QuarantineFilters } from '../../lib/server/quarantine/quarantine-filters';
import { isApiError } from '../../lib/server/http/api-error';
import { readJobQuarantine } from '../../lib/server/jobs/job-quarantine';
import { hasPermission, ROLES } from '../../lib/server/permissions';
import { asRole, BAD_A, BAD_B, FILE_A, openQuarantineWorld, type QuarantineWorld } from './quarantine-fixture';

let w: QuarantineWorld;
const filters = (q: string): QuarantineFilters => parseQuarantineFilters(new URLSearchParams(q));

beforeAll(async () => {
  w = await openQuarantineWorld('wb-quarantine-browse-');
  // Job A ran 40 days ago (its upload too): the date filter and paging across jobs have two dates.
  await w.db.run(`UPDATE jobs SET created_at = created_at - INTERVAL 40 DAY WHERE id = ?`, [w.jobA]);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

const execIds = (rows: { values: Record<string, string | null> }[]) => rows.map((r) => r.values.exec_id);

describe('quarantine browser', () => {
  it('lists rows across jobs, newest job first, with their file and values', async () => {
    const page = await browseQuarantine(w.db, filters('output=confirmations'), null, 100);
    expect(page.output).toBe('confirmations');
    expect(page.outputs).toContain('confirmations');
    expect(execIds(page.rows)).toEqual(['EXB-QTY', 'EXB-SHORT', 'EXA-SHORT', 'EXA-FORMULA', 'EXA-TWO']);
    expect(page.rows[0].file).toMatchObject({ name: 'desk-b.csv', sha256: w.uploadB.sha256 });
    expect(page.columns).toContain('side');
    expect(page.columns).not.toContain('_violations');
    expect(page.next_cursor).toBeNull();
    // Without an output the first output with quarantined rows is chosen.
    expect((await browseQuarantine(w.db, filters(''), null, 100)).rows).toHaveLength(5);
  });

  it('filters by violation type (first or any), job, file and date', async () => {
    const enumRows = await browseQuarantine(w.db, filters('output=confirmations&violation_type=enum_invalid'), null, 100);
    expect(execIds(enumRows.rows)).toEqual(['EXB-SHORT', 'EXA-SHORT', 'EXA-FORMULA', 'EXA-TWO']);
    // EXA-TWO's first violation is about side; its quantity violation is found in _violations too.
    const two = enumRows.rows.find((r) => r.values.exec_id === 'EXA-TWO')!;
    const detail = await quarantineRowDetail(w.db, 'confirmations', two.row_ref);
    const qtyType = detail!.violations.find((v) => v.column === 'quantity')!.violation_type;
    expect(qtyType).not.toBe('enum_invalid');
    const qty = await browseQuarantine(w.db, filters(`output=confirmations&violation_type=${qtyType}`), null, 100);
    expect(execIds(qty.rows)).toEqual(['EXB-QTY', 'EXA-TWO']);

    expect(execIds((await browseQuarantine(w.db, filters(`output=confirmations&job_id=${w.jobA}`), null, 100)).rows)).toEqual(['EXA-SHORT', 'EXA-FORMULA', 'EXA-TWO']);
    expect(execIds((await browseQuarantine(w.db, filters(`output=confirmations&file=${w.uploadB.sha256}`), null, 100)).rows)).toEqual(['EXB-QTY', 'EXB-SHORT']);
    expect(execIds((await browseQuarantine(w.db, filters('output=confirmations&file=DESK-A'), null, 100)).rows)).toEqual(['EXA-SHORT', 'EXA-FORMULA', 'EXA-TWO']);
    expect((await browseQuarantine(w.db, filters('output=confirmations&file=desk_%'), null, 100)).rows).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    expect(execIds((await browseQuarantine(w.db, filters(`output=confirmations&from=${today}`), null, 100)).rows)).toEqual(['EXB-QTY', 'EXB-SHORT']);
    expect(execIds((await browseQuarantine(w.db, filters(`output=confirmations&from=${longAgo}&to=${longAgo}`), null, 100)).rows)).toEqual(['EXA-SHORT', 'EXA-FORMULA', 'EXA-TWO']);
  });

  it('refuses bad filters and unknown outputs', async () => {
    expect(() => filters('violation_type=DROP TABLE')).toThrow();
    expect(() => filters('from=yesterday')).toThrow();
    await expect(browseQuarantine(w.db, filters('output=nope'), null, 10)).rejects.toSatisfy((e: unknown) => isApiError(e) && e.code === 'quarantine.unknown_output');
  });

  it('keyset pages add up to the single page, and a cursor only works with its filters', async () => {
    const all = execIds((await browseQuarantine(w.db, filters('output=confirmations'), null, 100)).rows);
    const seen: (string | null)[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await browseQuarantine(w.db, filters('output=confirmations'), cursor, 2);
      expect(page.rows.length).toBeLessThanOrEqual(2);
      seen.push(...execIds(page.rows));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(seen).toEqual(all);
    expect(pages).toBe(3);
    const first = await browseQuarantine(w.db, filters('output=confirmations'), null, 2);
    await expect(browseQuarantine(w.db, filters('output=confirmations&violation_type=enum_invalid'), first.next_cursor, 2)).rejects.toSatisfy(
      (e: unknown) => isApiError(e) && e.code === 'request.bad_cursor',
    );
  });

  it('hides replayed rows unless asked, and marks them', async () => {
    const row = (await browseQuarantine(w.db, filters(`output=confirmations&job_id=${w.jobB}`), null, 100)).rows.find((r) => r.values.exec_id === 'EXB-SHORT')!;
    await w.db.run(
      `INSERT INTO quarantine_replays (job_id, output, q_row, replay_id, contract_id, contract_version, contract_hash, replayed_by) VALUES (?, 'confirmations', ?, 'rp-1', 'c', 2, 'h', 'q_author')`,
      [w.jobB, row.q_row],
    );
    try {
      expect(execIds((await browseQuarantine(w.db, filters(`output=confirmations&job_id=${w.jobB}`), null, 100)).rows)).toEqual(['EXB-QTY']);
      const shown = await browseQuarantine(w.db, filters(`output=confirmations&job_id=${w.jobB}&include_replayed=1`), null, 100);
      expect(shown.rows.map((r) => [r.values.exec_id, r.replayed?.replay_id ?? null])).toEqual([
        ['EXB-QTY', null],
        ['EXB-SHORT', 'rp-1'],
      ]);
      // The per-job quarantine API marks the same row.
      const perJob = await readJobQuarantine(w.db, { jobId: w.jobB, output: 'confirmations', violationType: null, cursor: null, limit: 100 });
      expect(perJob.rows.map((r) => [r.exec_id, r._replay_id])).toEqual([
        ['EXB-QTY', null],
        ['EXB-SHORT', 'rp-1'],
      ]);
    } finally {
      await w.db.run(`DELETE FROM quarantine_replays WHERE replay_id = 'rp-1'`);
    }
  });

  it('row detail: original values, every violation, and the exact source bytes', async () => {
    const row = (await browseQuarantine(w.db, filters(`output=confirmations&job_id=${w.jobA}`), null, 100)).rows.find((r) => r.values.exec_id === 'EXA-TWO')!;
    const d = (await quarantineRowDetail(w.db, 'confirmations', row.row_ref))!;
    expect(d.values).toMatchObject({ exec_id: 'EXA-TWO', side: 'SHORT', quantity: 'lots' });
    expect(d.violations.map((v) => v.column).sort()).toEqual(['quantity', 'side']);
    expect(d.raw).not.toBeNull();
    const offset = Number(d.source_offset);
    expect(Buffer.from(d.raw!.base64, 'base64').toString('utf8').replace(/\r?\n$/, '')).toBe(BAD_A[2]);
    expect(Buffer.from(FILE_A).subarray(offset, offset + Number(d.source_length)).toString('base64')).toBe(d.raw!.base64);
    expect(await quarantineRowDetail(w.db, 'confirmations', `${w.jobA}.999999`)).toBeNull();
    expect(await quarantineRowDetail(w.db, 'confirmations', 'not-a-ref')).toBeNull();
    expect(await quarantineRowDetail(w.db, 'nope', row.row_ref)).toBeNull();
  });

  it('exports the filtered set as CSV with formula-looking cells neutralised', async () => {
    const csv = await quarantineCsvText(w.db, filters(`output=confirmations&job_id=${w.jobA}`));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['job_id', 'q_row', 'file_name']);
    expect(lines).toHaveLength(4);
    const formula = lines.find((l) => l.includes('EXA-FORMULA'))!;
    expect(formula).toContain(",'=1+2,");
    expect(formula).not.toMatch(/,=1\+2,/);
    expect(csv).not.toContain('EXB-');
  });

  it('exports every job\'s rows in the browser\'s order', async () => {
    const browsed = (await browseQuarantine(w.db, filters('output=confirmations'), null, 100)).rows.map((r) => r.row_ref);
    expect(browsed.length).toBe(5);
    const refs = (csv: string) => csv.trimEnd().split('\r\n').slice(1).map((l) => `${l.split(',')[0]}.${l.split(',')[1]}`);
    expect(refs(await quarantineCsvText(w.db, filters('output=confirmations')))).toEqual(browsed);
    expect(refs(await new Response(await quarantineExportStream(filters('output=confirmations'), w.db, 5)).text())).toEqual(browsed);
  });

  it('refuses an export of more rows than it may hold, before sending anything, instead of cutting the file short', async () => {
    expect(await quarantineMatchesFor(filters('output=confirmations'), w.db, 4)).toEqual({ rows: 5, exportable: false, max_export_rows: 4 });
    await expect(quarantineExportStream(filters('output=confirmations'), w.db, 4)).rejects.toMatchObject({ code: 'quarantine.export_too_large', status: 422 });
    // Narrowed to one job (3 rows), it goes through.
    expect((await new Response(await quarantineExportStream(filters(`output=confirmations&job_id=${w.jobA}`), w.db, 4)).text()).trimEnd().split('\r\n')).toHaveLength(4);
    // More rows than allowed at the time the rows are read (they matched after the check): the download fails, never a short file.
    await expect(quarantineCsvText(w.db, filters('output=confirmations'), 4)).rejects.toThrow(/quarantine\.export_too_large/);
  });

  it('routes answer each role as the permission table says', async () => {
    const list = (await import('../../app/api/quarantine/route')).GET;
    const exp = (await import('../../app/api/quarantine/export/route')).GET;
    const ctx = { params: Promise.resolve({}) };
    expect((await list(asRole(null, '/api/quarantine'), ctx)).status).toBe(401);
    for (const role of ROLES) {
      const allowed = hasPermission({ username: role, roles: [role] }, 'quarantine.read');
      const res = await list(asRole(w.cookies[role], `/api/quarantine?output=confirmations&limit=2`), ctx);
      expect(res.status, role).toBe(allowed ? 200 : 403);
      if (allowed) expect((await res.json()).rows).toHaveLength(2);
      const csv = await exp(asRole(w.cookies[role], `/api/quarantine/export?output=confirmations&file=${w.uploadB.sha256}`), ctx);
      expect(csv.status, role).toBe(allowed ? 200 : 403);
      if (allowed) expect((await csv.text()).trimEnd().split('\r\n')).toHaveLength(1 + BAD_B.length);
    }
    const tooMany = await list(asRole(w.cookies.ops, '/api/quarantine?limit=501'), ctx);
    expect(tooMany.status).toBe(400);
    const unknown = await exp(asRole(w.cookies.ops, '/api/quarantine/export?output=nope'), ctx);
    expect(unknown.status).toBe(400);
  });
});
