// A break's workflow history and comments, oldest first (what was done, by whom, when).
function s(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

export function BreakHistory({ history, name }: { history: { events: Record<string, unknown>[]; comments: Record<string, unknown>[] }; name: string }) {
  const { events, comments } = history;
  if (events.length === 0 && comments.length === 0) return null;
  return (
    <details className="break-history">
      <summary>
        History ({events.length} event{events.length === 1 ? '' : 's'}, {comments.length} comment{comments.length === 1 ? '' : 's'})
      </summary>
      {comments.length > 0 && (
        <ul aria-label={`Comments on break ${name}`}>
          {comments.map((c) => (
            <li key={s(c.comment_id)}>
              <span className="mono">{s(c.created_at).replace('T', ' ').slice(0, 19)}</span> <strong>{s(c.author)}</strong>: {s(c.body)}
            </li>
          ))}
        </ul>
      )}
      {events.length > 0 && (
        <ul aria-label={`Events of break ${name}`}>
          {events.map((e, i) => (
            <li key={i}>
              <span className="mono">{s(e.occurred_at).replace('T', ' ').slice(0, 19)}</span> {s(e.actor)} {s(e.action)}
              {e.from_status !== e.to_status ? ` (${s(e.from_status)} → ${s(e.to_status)})` : ''}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
