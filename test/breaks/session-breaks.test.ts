import { describe, expect, it } from 'vitest';
import { FixScenario, loadAndDetect, openBreakCounts, storedBreaks, useTempDb } from './fix-scenario';

// sequence_gap and duplicate_seq_num per direction of a session, over order and session messages.

const t = useTempDb();

const detect = (s: FixScenario) => loadAndDetect(t.db, s);

function heartbeats(s: FixScenario, from: 'us' | 'them', n: number): void {
  for (let i = 0; i < n; i++) s.send(from, { msg_type: '0' });
}

describe('sequence numbers', () => {
  it('a gap in one direction is one sequence_gap with its range', async () => {
    const s = new FixScenario();
    heartbeats(s, 'them', 3);
    s.setNextSeq('them', 7);
    heartbeats(s, 'them', 2);
    heartbeats(s, 'us', 3);
    expect(await detect(s)).toEqual({ sequence_gap: 1 });
    const [b] = await storedBreaks(t.db, 'sequence_gap');
    expect(b.details).toMatchObject({ direction: 'VENUE>BUY', from_seq: 4, to_seq: 6, missing: 3, next_seq_received: 7 });
    expect(b.evidence[0]).toMatchObject({ output: 'fix_session_events', message_index: 3 });
  });

  it('a log that starts mid-session has no gap before its first number', async () => {
    const s = new FixScenario();
    s.setNextSeq('them', 5000);
    heartbeats(s, 'them', 3);
    expect(await detect(s)).toEqual({});
  });

  it('a gap later filled by PossDup resends is no break', async () => {
    const s = new FixScenario();
    heartbeats(s, 'them', 2);
    s.setNextSeq('them', 5);
    heartbeats(s, 'them', 1);
    s.send('us', { msg_type: '2', begin_seq_no: '3', end_seq_no: '4' });
    s.send('them', { msg_type: '0', msg_seq_num: '3', poss_dup_flag: 'Y' });
    s.send('them', { msg_type: '0', msg_seq_num: '4', poss_dup_flag: 'Y' });
    expect(await detect(s)).toEqual({});
  });

  it('a SequenceReset-GapFill covers the numbers it skips; SequenceReset-Reset jumps', async () => {
    const s = new FixScenario();
    heartbeats(s, 'them', 2);
    s.send('them', { msg_type: '4', msg_seq_num: '3', gap_fill_flag: 'Y', new_seq_no: '10', poss_dup_flag: 'Y' });
    s.setNextSeq('them', 10);
    heartbeats(s, 'them', 1);
    s.send('them', { msg_type: '4', msg_seq_num: '11', gap_fill_flag: 'N', new_seq_no: '500' });
    s.setNextSeq('them', 500);
    heartbeats(s, 'them', 2);
    expect(await detect(s)).toEqual({});
  });

  it('a Logon with ResetSeqNumFlag restarts at 1: no gap, no duplicate', async () => {
    const s = new FixScenario();
    s.send('us', { msg_type: 'A', reset_seq_num_flag: 'Y' });
    s.send('them', { msg_type: 'A', reset_seq_num_flag: 'Y' });
    heartbeats(s, 'us', 4);
    heartbeats(s, 'them', 4);
    s.setNextSeq('us', 1);
    s.setNextSeq('them', 1);
    s.send('us', { msg_type: 'A', reset_seq_num_flag: 'Y' });
    s.send('them', { msg_type: 'A', reset_seq_num_flag: 'Y' });
    heartbeats(s, 'us', 2);
    heartbeats(s, 'them', 2);
    expect(await detect(s)).toEqual({});
  });

  it('duplicate_seq_num: a repeated MsgSeqNum without PossDup; with PossDup it is a resend', async () => {
    const s = new FixScenario();
    heartbeats(s, 'them', 3);
    s.send('them', { msg_type: '0', msg_seq_num: '2' });
    s.send('them', { msg_type: '0', msg_seq_num: '3', poss_dup_flag: 'Y' });
    expect(await detect(s)).toEqual({ duplicate_seq_num: 1 });
    const [b] = await storedBreaks(t.db, 'duplicate_seq_num');
    expect(b.details).toMatchObject({ seq: 2, occurrences: 2, direction: 'VENUE>BUY' });
    expect(b.evidence).toHaveLength(2);
  });

  it('order messages count in the sequence too', async () => {
    const s = new FixScenario({ start: '2026-11-20T14:00:00Z' });
    s.order('A', { qty: '10', px: '1', tif: '1' });
    s.ack('A');
    s.setNextSeq('them', 5);
    s.ack('A', { exec_type: 'I' });
    expect(await detect(s)).toEqual({ sequence_gap: 1 });
    const [b] = await storedBreaks(t.db, 'sequence_gap');
    expect(b.evidence[0]).toMatchObject({ output: 'fix_order_events' });
  });
});
