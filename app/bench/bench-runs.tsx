'use client';
// Quick test of the chosen file against a contract version, and backtests of a version over
// every uploaded file of the kind (progress polled by run id, results table, stop button).
import { useEffect, useState } from 'react';
import type { BacktestState, BenchContractVersion, FileTestResult } from '../../lib/server/bench/bench-service';
import { benchApi } from './bench-api';

function topViolations(r: FileTestResult | null): string {
  if (!r) return '';
  return r.top_violations.map((v) => `${v.column}: ${v.violation_type} ×${v.count}`).join('; ');
}

function versionKey(c: BenchContractVersion): string {
  return `${c.contract_id}:${c.version}`;
}

export function BenchRuns({ uploadId, contracts }: { uploadId: string; contracts: BenchContractVersion[] }) {
  const [choice, setChoice] = useState('');
  const [maxRows, setMaxRows] = useState(10000);
  const [test, setTest] = useState<FileTestResult | null>(null);
  const [run, setRun] = useState<BacktestState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Default: a draft if there is one (what the bench is for), else the first version listed.
    const pick = contracts.find((c) => c.status === 'draft') ?? contracts[0];
    setChoice(pick ? versionKey(pick) : '');
    setTest(null);
  }, [contracts]);

  useEffect(() => {
    if (!run || run.status !== 'running') return;
    const t = setTimeout(async () => {
      try {
        setRun(await benchApi<BacktestState>('GET', `/api/bench/backtests/${run.id}`));
      } catch (e) {
        setError((e as Error).message);
      }
    }, 500);
    return () => clearTimeout(t);
  }, [run]);

  const selected = contracts.find((c) => versionKey(c) === choice) ?? null;

  async function quickTest() {
    if (!selected) return;
    setBusy(true);
    setError(null);
    try {
      setTest(await benchApi<FileTestResult>('POST', '/api/bench/test', { upload_id: uploadId, contract_id: selected.contract_id, version: selected.version, max_rows: maxRows }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function startBacktest() {
    if (!selected) return;
    setError(null);
    try {
      setRun(await benchApi<BacktestState>('POST', '/api/bench/backtests', { contract_id: selected.contract_id, version: selected.version, max_rows: maxRows }));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function stop() {
    if (!run) return;
    try {
      setRun(await benchApi<BacktestState>('POST', `/api/bench/backtests/${run.id}/stop`));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="panel">
      <h2>Test against a contract version</h2>
      <div className="bench-controls">
        <label>
          Contract version{' '}
          <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="bench-contract">
            {contracts.length === 0 && <option value="">no contract for this parser</option>}
            {contracts.map((c) => (
              <option key={versionKey(c)} value={versionKey(c)}>
                {c.output} v{c.version} ({c.status}, by {c.author})
              </option>
            ))}
          </select>
        </label>
        <label>
          Rows per file at most <input type="number" min={1} max={200000} value={maxRows} onChange={(e) => setMaxRows(Number(e.target.value) || 10000)} />
        </label>
        <button type="button" onClick={quickTest} disabled={busy || !selected || !uploadId}>
          {busy ? 'Testing…' : 'Test this file'}
        </button>
        <button type="button" onClick={startBacktest} disabled={!selected || run?.status === 'running'}>
          Backtest all files
        </button>
        {run?.status === 'running' && (
          <button type="button" onClick={stop} disabled={run.stop_requested}>
            {run.stop_requested ? 'Stopping…' : 'Stop'}
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {test && (
        <p data-testid="bench-test-result">
          <span className={test.status === 'FAILED' ? 'status-bad' : test.status === 'SUCCESS' ? 'status-ok' : 'status-warn'}>{test.status}</span> — {test.rows} rows,{' '}
          {test.quarantine_rows} quarantined ({test.quarantine_pct} %){test.sampled ? ', start of the file only' : ''}. {test.message}.
          {!test.shape.ok && ` Shape: missing ${test.shape.missing.join(', ') || 'none'}; extra ${test.shape.extra.join(', ') || 'none'}.`}
          {test.top_violations.length > 0 && ` Top violations: ${topViolations(test)}.`}
        </p>
      )}
      {run && (
        <div data-testid="bench-backtest">
          <p>
            Backtest {run.contract.output} v{run.contract.version}: {run.status}, {run.done} of {run.total} files{' '}
            <progress className="bench-progress" max={Math.max(1, run.total)} value={run.done} />
            {run.error && <span className="error"> {run.error}</span>}
          </p>
          <table className="bench-table">
            <thead>
              <tr>
                <th>file</th>
                <th>before</th>
                <th>result</th>
                <th>rows</th>
                <th>quarantine %</th>
                <th>top violations</th>
              </tr>
            </thead>
            <tbody>
              {run.files.map((f) => {
                const r = run.results.find((x) => x.upload_id === f.upload_id);
                return (
                  <tr key={f.upload_id}>
                    <td>{f.original_name}</td>
                    <td>{f.history.replace('_', ' ')}</td>
                    <td className={r ? (r.outcome === 'pass' ? 'status-ok' : 'status-bad') : 'muted'}>{r ? r.outcome : run.current === f.upload_id ? 'running…' : '—'}</td>
                    <td>{r?.result?.rows ?? ''}</td>
                    <td>{r?.result?.quarantine_pct ?? ''}</td>
                    <td>{r?.error ?? topViolations(r?.result ?? null)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
