'use client';
// Replay of quarantined rows under the contract in force: choose jobs, run a dry run (how many
// rows would pass, what still fails, which open breaks they touch), then replay (promotes the rows
// that pass and moves them out of quarantine; audited). Used on the contract and quarantine pages.
import { useState } from 'react';
import { contractApi } from '../contract-api';
import { useHydrated } from '../use-hydrated';

interface Candidate {
  job_id: string;
  source_name: string | null;
  created_at: string;
  pending_rows: number;
}

interface Report {
  dry_run: boolean;
  would_pass: number;
  promoted: number;
  contract: { version: number; content_hash: string };
  jobs: { job_id: string; candidates: number; would_pass: number; still_failing: number; violations: Record<string, number>; promoted: number }[];
  breaks?: {
    total: number;
    may_close: number;
    by_class: Record<string, number>;
    items: { break_id: string; class: string; cl_ord_id: string | null; status: string; effect: 'may_close' | 'may_change'; matched_by: string }[];
  };
}

function BreaksTouched({ breaks, dryRun }: { breaks: NonNullable<Report['breaks']>; dryRun: boolean }) {
  if (breaks.total === 0) return <p data-testid="replay-breaks">No open break is touched by these rows.</p>;
  return (
    <div data-testid="replay-breaks">
      <p>
        {dryRun ? 'Breaks that would change' : 'Breaks to re-check at the next detection run'}: {breaks.total} open ({breaks.may_close} may close;{' '}
        {Object.entries(breaks.by_class)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}
        ).
      </p>
      <table aria-label="Breaks that would change">
        <thead>
          <tr>
            <th>Break</th>
            <th>Class</th>
            <th>ClOrdID</th>
            <th>Status</th>
            <th>Effect</th>
            <th>Matched by</th>
          </tr>
        </thead>
        <tbody>
          {breaks.items.map((b) => (
            <tr key={b.break_id}>
              <td className="mono" title={b.break_id}>
                {b.break_id.slice(0, 12)}
              </td>
              <td className="mono">{b.class}</td>
              <td className="mono">{b.cl_ord_id ? <a href={`/orders/${encodeURIComponent(b.cl_ord_id)}`}>{b.cl_ord_id}</a> : '–'}</td>
              <td>{b.status}</td>
              <td>{b.effect === 'may_close' ? 'may close' : 'may change'}</td>
              <td className="mono">{b.matched_by}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {breaks.items.length < breaks.total && <p className="muted">First {breaks.items.length} of {breaks.total} shown.</p>}
    </div>
  );
}

export function ReplayPanel({ output, candidates }: { output: string; candidates: Candidate[] }) {
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(candidates.map((c) => c.job_id)));
  const [report, setReport] = useState<Report | null>(null);
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(dryRun: boolean) {
    setBusy(true);
    setError(null);
    try {
      setReport(await contractApi<Report>('POST', '/api/quarantine/replay', { output, job_ids: [...chosen], dry_run: dryRun }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function toggle(id: string) {
    setReport(null);
    setChosen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }

  return (
    <div className="panel">
      <table>
        <tbody>
          {candidates.map((c) => (
            <tr key={c.job_id}>
              <td>
                <input type="checkbox" aria-label={`Job ${c.job_id}`} checked={chosen.has(c.job_id)} onChange={() => toggle(c.job_id)} />
              </td>
              <td>
                <a href={`/jobs/${encodeURIComponent(c.job_id)}`}>{c.source_name ?? c.job_id}</a>
              </td>
              <td className="num">{c.pending_rows} quarantined</td>
              <td>{c.created_at}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" disabled={!hydrated || busy || chosen.size === 0} onClick={() => run(true)}>
          Dry run
        </button>{' '}
        <button type="button" className="primary" disabled={!hydrated || busy || !report || !report.dry_run || report.would_pass === 0} onClick={() => run(false)}>
          Replay {report?.dry_run ? `${report.would_pass} rows` : ''}
        </button>
      </p>
      {report && (
        <div role="status">
          <p>
            {report.dry_run ? `Dry run against v${report.contract.version}: ${report.would_pass} rows would pass.` : `Replayed: ${report.promoted} rows promoted under v${report.contract.version}.`}
          </p>
          <ul>
            {report.jobs.map((j) => (
              <li key={j.job_id}>
                {j.job_id}: {j.candidates} quarantined, {j.would_pass} pass, {j.still_failing} still fail
                {Object.keys(j.violations).length > 0 && ` (${Object.entries(j.violations).map(([k, v]) => `${k} ${v}`).join(', ')})`}
              </li>
            ))}
          </ul>
          {report.breaks && <BreaksTouched breaks={report.breaks} dryRun={report.dry_run} />}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
