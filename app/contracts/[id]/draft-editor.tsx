'use client';
// The draft editor: the contract document as JSON in a textarea, validated as it is typed with
// the same parseContractDocument the server uses (every problem with its path), saved with PUT.
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { parseContractDocument } from '../../../lib/contracts/contract-document';
import { contractApi, ContractApiError } from '../contract-api';
import { useHydrated } from '../use-hydrated';

interface Problem {
  code: string;
  path: string;
  message: string;
}

function problemsOf(text: string): Problem[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return [{ code: 'json.invalid', path: '', message: (e as Error).message }];
  }
  const r = parseContractDocument(json);
  return r.ok ? [] : r.problems;
}

export function DraftEditor({ contractId, version, initial }: { contractId: string; version: number; initial: unknown }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string; problems?: Problem[] } | null>(null);
  const problems = useMemo(() => problemsOf(text), [text]);

  async function save() {
    setSaving(true);
    setResult(null);
    try {
      const r = await contractApi<{ content_hash: string }>('PUT', `/api/contracts/${encodeURIComponent(contractId)}/versions/${version}`, JSON.parse(text));
      setResult({ ok: true, message: `Saved; content hash ${r.content_hash.slice(0, 12)}…` });
      // Server components (history, diff) re-render; the text being edited stays as it is.
      router.refresh();
    } catch (e) {
      const details = e instanceof ContractApiError && Array.isArray(e.details) ? (e.details as Problem[]) : undefined;
      setResult({ ok: false, message: (e as Error).message, problems: details });
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="panel">
      <label>
        Draft v{version} (JSON)
        <textarea aria-label="Contract document" className="mono" rows={24} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <p className="muted">
        The contract states every value of <code>quarantine</code> except those listed in <code>quarantine_inherit</code> (e.g.{' '}
        <code>&quot;quarantine_inherit&quot;: [&quot;allow_quarantine&quot;]</code>), which come from the global setting or the built-in default.
      </p>
      {problems.length === 0 ? (
        <p className="status-ok">Valid contract document.</p>
      ) : (
        <ul className="error" aria-label="Problems">
          {problems.map((p, i) => (
            <li key={i}>
              <code>{p.path || '(document)'}</code> {p.message} <span className="muted">({p.code})</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="primary" disabled={!hydrated || saving || problems.length > 0} onClick={save}>
        Save draft
      </button>
      {result && (
        <p className={result.ok ? 'status-ok' : 'error'} role="status">
          {result.message}
          {result.problems?.map((p, i) => (
            <span key={i}>
              <br />
              <code>{p.path}</code> {p.message}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
