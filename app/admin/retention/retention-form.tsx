'use client';
// Dry run or purge through POST /api/admin/retention; shows the summary it answers.
import { useState } from 'react';

interface Summary {
  dry_run: boolean;
  days: number;
  cutoff: string;
  tables: Record<string, number>;
  files: { uploads: number; quarantine_parquet: number };
  bytes_freed: number;
}

export function RetentionForm() {
  const [days, setDays] = useState('90');
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(dryRun: boolean) {
    if (!dryRun && !window.confirm(`Purge quarantined rows and uploads older than ${days} days? This cannot be undone.`)) return;
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/admin/retention', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ days: Number(days), dry_run: dryRun }),
      });
      const body = await res.json();
      if (!res.ok) {
        setError(body?.error?.message ?? `HTTP ${res.status}`);
        setSummary(null);
      } else setSummary(body as Summary);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="panel">
      <label>
        Older than <input type="number" min={1} max={36500} value={days} onChange={(e) => setDays(e.target.value)} /> days
      </label>{' '}
      <button type="button" disabled={busy} onClick={() => run(true)}>
        Dry run
      </button>{' '}
      <button type="button" disabled={busy} onClick={() => run(false)}>
        Purge
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {summary && (
        <div data-testid="retention-summary">
          <p>
            {summary.dry_run ? 'Would remove' : 'Removed'} (cut-off {summary.cutoff}):
          </p>
          <ul>
            {Object.entries(summary.tables).map(([t, n]) => (
              <li key={t}>
                {t}: {n} rows
              </li>
            ))}
            <li>
              files: {summary.files.uploads} uploads, {summary.files.quarantine_parquet} quarantine Parquet files
            </li>
            <li>bytes freed: {summary.bytes_freed.toLocaleString('en')}</li>
          </ul>
        </div>
      )}
    </div>
  );
}
