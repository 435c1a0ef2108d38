'use client';
// Submit / approve / reject for one version. Which buttons show is decided on the server from
// the user's roles and the version (the server checks it all again on the API): an author or
// editor of the version sees why they cannot decide on it; a blocked approval shows its reason.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { contractApi } from '../contract-api';
import { useHydrated } from '../use-hydrated';

export interface ActionsView {
  contractId: string;
  version: number;
  contentHash: string;
  canSubmit: boolean;
  canDecide: boolean;
  /** Why this user cannot decide (self approval), shown instead of the buttons. */
  decideRefusal: string | null;
  /** Why approval is blocked by observed data (reject stays possible). */
  blockedReason: string | null;
  note: string | null;
}

export function VersionActions({ view }: { view: ActionsView }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = `/api/contracts/${encodeURIComponent(view.contractId)}/versions/${view.version}`;

  async function run(path: string, body?: unknown) {
    setBusy(true);
    setError(null);
    try {
      await contractApi('POST', `${base}/${path}`, body);
      setComment('');
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="panel">
      {view.canSubmit && (
        <button type="button" className="primary" disabled={!hydrated || busy} onClick={() => run('submit')}>
          Submit for review
        </button>
      )}
      {view.decideRefusal && <p className="status-warn">{view.decideRefusal}</p>}
      {view.blockedReason && <p className="status-bad">Approval is blocked: {view.blockedReason}</p>}
      {view.note && <p className="muted">{view.note}</p>}
      {view.canDecide && (
        <>
          <label>
            Comment (required to reject)
            <textarea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <p>
            <button
              type="button"
              className="primary"
              disabled={!hydrated || busy || view.blockedReason !== null}
              onClick={() => run('approve', { content_hash: view.contentHash, comment: comment.trim() || null })}
            >
              Approve v{view.version} ({view.contentHash.slice(0, 12)}…)
            </button>{' '}
            <button type="button" disabled={!hydrated || busy || comment.trim() === ''} onClick={() => run('reject', { comment })}>
              Reject
            </button>
          </p>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
