import { describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { FixScenario, loadAndDetect, openBreakCounts, storedBreaks, useTempDb } from './fix-scenario';

// sequence_gap and duplicate_seq_num per direction of a session, over order and session messages.
// The step counts epochs and the running maximum per block of positions and numbers (2^16 by
// default): every case runs again with blocks of 2, so that its messages cross many blocks.

const t = useTempDb();

function heartbeats(s: FixScenario, from: 'us' | 'them', n: number): void {
  for (let i = 0; i < n; i++) s.send(from, { msg_type: '0' });
}

describe.each([
  { blocks: 'default blocks', sequenceBlockBits: undefined },
  { blocks: 'blocks of 2', sequenceBlockBits: 1 },
])('sequence numbers ($blocks)', ({ sequenceBlockBits }) => {
  const detect = (s: FixScenario) => loadAndDetect(t.db, s, { sequenceBlockBits });

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

  it('a gap names the first received of two messages with the number after it', async () => {
    const s = new FixScenario();
    heartbeats(s, 'them', 2);
    s.setNextSeq('them', 5);
    heartbeats(s, 'them', 1);
    s.send('them', { msg_type: '0', msg_seq_num: '5' });
    heartbeats(s, 'them', 1);
    expect(await detect(s)).toEqual({ sequence_gap: 1, duplicate_seq_num: 1 });
    const [gap] = await storedBreaks(t.db, 'sequence_gap');
    expect(gap.details).toMatchObject({ from_seq: 3, to_seq: 4, next_seq_received: 5 });
    expect(gap.evidence).toEqual([expect.objectContaining({ output: 'fix_session_events', message_index: 2 })]);
    const [dup] = await storedBreaks(t.db, 'duplicate_seq_num');
    expect(dup.evidence.map((e) => e.message_index)).toEqual([2, 3]);
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

describe('sequence blocks', () => {
  it('gives the same breaks, details and evidence whatever the block size', async () => {
    // Both directions, three epochs, gaps inside and across blocks, gap fills, resends that
    // fill part of a gap, and repeated numbers.
    const s = new FixScenario();
    s.send('us', { msg_type: 'A', reset_seq_num_flag: 'Y' });
    s.send('them', { msg_type: 'A', reset_seq_num_flag: 'Y' });
    heartbeats(s, 'them', 3);
    s.setNextSeq('them', 9);
    heartbeats(s, 'them', 2);
    s.send('them', { msg_type: '4', gap_fill_flag: 'Y', new_seq_no: '20', poss_dup_flag: 'Y' });
    s.setNextSeq('them', 20);
    heartbeats(s, 'them', 1);
    s.send('them', { msg_type: '0', msg_seq_num: '20' });
    s.setNextSeq('them', 26);
    heartbeats(s, 'them', 2);
    s.send('them', { msg_type: '0', msg_seq_num: '23', poss_dup_flag: 'Y' });
    heartbeats(s, 'us', 5);
    s.send('us', { msg_type: '4', gap_fill_flag: 'N', new_seq_no: '100' });
    s.setNextSeq('us', 100);
    heartbeats(s, 'us', 3);
    s.send('us', { msg_type: '0', msg_seq_num: '101' });
    s.setNextSeq('us', 107);
    heartbeats(s, 'us', 1);
    s.setNextSeq('them', 1);
    s.send('them', { msg_type: 'A', reset_seq_num_flag: 'Y' });
    heartbeats(s, 'them', 2);
    s.setNextSeq('them', 7);
    heartbeats(s, 'them', 3);
    s.send('them', { msg_type: '0', msg_seq_num: '8' });
    await s.load(t.db);

    const snapshot = () => t.db.all(`SELECT break_id, class, status, details, evidence FROM breaks ORDER BY break_id`);
    const first = await detectBreaks(t.db, { asOf: '2026-11-24' });
    expect(first.byClass).toEqual({ sequence_gap: 5, duplicate_seq_num: 3 });
    const gaps = (await storedBreaks(t.db, 'sequence_gap')).map((b) => `${b.details.direction} ${b.details.epoch}: ${b.details.from_seq}-${b.details.to_seq}`);
    expect(gaps.sort()).toEqual(['BUY>VENUE 2: 103-106', 'VENUE>BUY 1: 21-22', 'VENUE>BUY 1: 24-25', 'VENUE>BUY 1: 5-8', 'VENUE>BUY 2: 4-6']);
    const whole = await snapshot();
    for (const sequenceBlockBits of [0, 1, 2, 3, 40]) {
      const again = await detectBreaks(t.db, { asOf: '2026-11-24', sequenceBlockBits });
      expect(again.byClass).toEqual(first.byClass);
      expect({ inserted: again.inserted, autoClosed: again.autoClosed, reopened: again.reopened }).toEqual({ inserted: 0, autoClosed: 0, reopened: 0 });
      expect(await snapshot()).toEqual(whole);
    }
  });
});
