'use client';
// The analyst's actions on one break from the drill-down: assign, comment, resolve (or mark a
// false positive, or reopen). Each is a POST to /api/breaks/{id}/actions (audited on the
// server); the page is re-read afterwards so status, assignee and history are the server's.
import { useRouter } from 'next/navigation';
import { useState } from 'react';

type Body =
  | { action: 'assign'; assignee: string | null }
  | { action: 'comment'; body: string }
  | { action: 'resolve' | 'false_positive'; reason: string }
  | { action: 'reopen'; reason?: string };

export function BreakActions(props: { breakId: string; breakClass: string; status: string; assignee: string | null; assignees: string[] }) {
  const router = useRouter();
  const [assignee, setAssignee] = useState(props.assignee ?? props.assignees[0] ?? '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const closed = props.status === 'resolved' || props.status === 'false_positive';
  const name = `${props.breakClass} ${props.breakId.slice(0, 8)}`;

  async function act(body: Body) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/breaks/${props.breakId}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        const j = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(j?.error?.message ?? `The action failed (${res.status}).`);
        return;
      }
      if (body.action !== 'assign') setNote('');
      router.refresh();
    } catch {
      setError('The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  const needNote = note.trim().length === 0;
  return (
    <div className="break-actions" role="group" aria-label={`Actions on break ${name}`}>
      <label className="inline">
        Assignee
        <select value={assignee} onChange={(e) => setAssignee(e.target.value)} aria-label={`Assignee of break ${name}`}>
          {props.assignees.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={busy || !assignee} onClick={() => act({ action: 'assign', assignee })}>
        Assign
      </button>
      <label>
        Comment or reason
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} aria-label={`Comment or reason for break ${name}`} />
      </label>
      <div className="break-action-buttons">
        <button type="button" disabled={busy || needNote} onClick={() => act({ action: 'comment', body: note.trim() })}>
          Comment
        </button>
        {closed ? (
          <button type="button" disabled={busy} onClick={() => act({ action: 'reopen', ...(needNote ? {} : { reason: note.trim() }) })}>
            Reopen
          </button>
        ) : (
          <>
            <button type="button" className="primary" disabled={busy || needNote} onClick={() => act({ action: 'resolve', reason: note.trim() })}>
              Resolve
            </button>
            <button type="button" disabled={busy || needNote} onClick={() => act({ action: 'false_positive', reason: note.trim() })}>
              False positive
            </button>
          </>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
