import { randomUUID } from 'node:crypto';
import type { Db } from '../open';

// The analyst's workflow on one break: open → investigating → resolved | false_positive, and
// back with reopen. Runs inside the caller's transaction (which also writes the audit entry):
// the break row, its event and its comment change together or not at all.
//
// - assign: sets (or clears with null) the assignee; an open break becomes investigating.
// - comment: adds a comment; the status is unchanged.
// - resolve / false_positive: needs a reason; only from open or investigating.
// - reopen: only from resolved or false_positive; the break is open again, unassigned reasons cleared.

export const BREAK_ACTIONS = ['assign', 'comment', 'resolve', 'reopen', 'false_positive'] as const;
export type BreakAction = (typeof BREAK_ACTIONS)[number];

export type BreakActionInput =
  | { action: 'assign'; assignee: string | null }
  | { action: 'comment'; body: string }
  | { action: 'resolve'; reason: string }
  | { action: 'false_positive'; reason: string }
  | { action: 'reopen'; reason?: string };

export type BreakActionResult =
  | { ok: true; from_status: string; to_status: string; assignee: string | null }
  | { ok: false; code: 'break.not_found' | 'break.bad_transition'; message: string };

const CLOSED = new Set(['resolved', 'false_positive']);

export async function applyBreakAction(tx: Db, breakId: string, input: BreakActionInput, actor: string): Promise<BreakActionResult> {
  const rows = await tx.all<{ status: string; assignee: string | null }>(`SELECT status, assignee FROM breaks WHERE break_id = ?`, [breakId]);
  if (rows.length === 0) return { ok: false, code: 'break.not_found', message: 'No break has this id.' };
  const from = rows[0].status;
  let to = from;
  let assignee = rows[0].assignee;
  let details: Record<string, unknown> = {};
  switch (input.action) {
    case 'assign':
      assignee = input.assignee;
      if (from === 'open' && assignee !== null) to = 'investigating';
      await tx.run(`UPDATE breaks SET assignee = ?, status = ?, updated_at = current_timestamp WHERE break_id = ?`, [assignee, to, breakId]);
      details = { assignee };
      break;
    case 'comment': {
      const commentId = randomUUID();
      await tx.run(`INSERT INTO break_comments (comment_id, break_id, author, body) VALUES (?, ?, ?, ?)`, [commentId, breakId, actor, input.body]);
      details = { comment_id: commentId };
      break;
    }
    case 'resolve':
    case 'false_positive':
      if (CLOSED.has(from)) return { ok: false, code: 'break.bad_transition', message: `The break is already ${from}.` };
      to = input.action === 'resolve' ? 'resolved' : 'false_positive';
      await tx.run(
        `UPDATE breaks SET status = ?, closed_reason = ?, closed_at = current_timestamp, updated_at = current_timestamp WHERE break_id = ?`,
        [to, input.reason, breakId],
      );
      details = { reason: input.reason };
      break;
    case 'reopen':
      if (!CLOSED.has(from)) return { ok: false, code: 'break.bad_transition', message: `The break is ${from}, not closed.` };
      to = 'open';
      await tx.run(`UPDATE breaks SET status = 'open', closed_reason = NULL, closed_at = NULL, updated_at = current_timestamp WHERE break_id = ?`, [breakId]);
      details = input.reason ? { reason: input.reason } : {};
      break;
  }
  await tx.run(
    `INSERT INTO break_events (event_id, break_id, actor, action, from_status, to_status, details) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [randomUUID(), breakId, actor, input.action, from, to, JSON.stringify(details)],
  );
  return { ok: true, from_status: from, to_status: to, assignee };
}
