'use client';
// "Propose from the parser intent": posts the parser's declared schema as a new draft and opens it.
import { useState } from 'react';
import { contractApi } from './contract-api';
import { useHydrated } from './use-hydrated';

export function ProposeFromIntent({ document, label }: { document: unknown; label: string }) {
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function propose() {
    setBusy(true);
    setError(null);
    try {
      const created = await contractApi<{ id: string; version: number }>('POST', '/api/contracts', document);
      window.location.href = `/contracts/${encodeURIComponent(created.id)}?v=${created.version}`;
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="primary" disabled={!hydrated || busy} onClick={propose}>
        {label}
      </button>
      {error && <span className="error"> {error}</span>}
    </>
  );
}
