'use client';
// Changes the global quarantine setting (PUT /api/quarantine/settings). Each value can be left to
// the built-in default ("inherit").
import { useState } from 'react';
import { contractApi } from '../../contracts/contract-api';
import { useHydrated } from '../../contracts/use-hydrated';

interface Policy {
  allow_quarantine?: boolean;
  max_quarantine_pct?: number;
  max_quarantine_count?: number | null;
}

export function GlobalSettingForm({ current }: { current: Policy }) {
  const hydrated = useHydrated();
  const [allow, setAllow] = useState(current.allow_quarantine === undefined ? '' : String(current.allow_quarantine));
  const [pct, setPct] = useState(current.max_quarantine_pct === undefined ? '' : String(current.max_quarantine_pct));
  const [count, setCount] = useState(current.max_quarantine_count === undefined ? '' : current.max_quarantine_count === null ? 'none' : String(current.max_quarantine_count));
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    const body: Policy = {};
    if (allow !== '') body.allow_quarantine = allow === 'true';
    if (pct.trim() !== '') body.max_quarantine_pct = Number(pct);
    if (count.trim() !== '') body.max_quarantine_count = count.trim() === 'none' ? null : Number(count);
    try {
      await contractApi('PUT', '/api/quarantine/settings', body);
      setMessage('Saved. Jobs claimed from now on use it.');
      window.location.reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={save} aria-label="Change the global setting">
      <label>
        allow_quarantine{' '}
        <select value={allow} onChange={(e) => setAllow(e.target.value)}>
          <option value="">inherit</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      </label>{' '}
      <label>
        max_quarantine_pct <input value={pct} onChange={(e) => setPct(e.target.value)} size={6} placeholder="inherit" inputMode="decimal" />
      </label>{' '}
      <label>
        max_quarantine_count <input value={count} onChange={(e) => setCount(e.target.value)} size={8} placeholder="inherit" />
      </label>{' '}
      <button type="submit" className="primary" disabled={!hydrated || busy}>
        Save global setting
      </button>
      <p className="muted">A blank value is left to the built-in default; &quot;none&quot; for the count means no count limit.</p>
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
