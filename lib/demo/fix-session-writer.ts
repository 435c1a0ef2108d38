import type { BufferedFileWriter } from './buffered-file-writer';
import { encodeFixMessage, fieldsText, fixUtcTimestamp, type FixField } from './fix-encoder';
import type { Direction, PlannedMessage } from './plan-types';
import type { TruthCollector } from './truth';

// Writes the FIX session as our engine logs it: one message per line, both directions, SOH
// delimited, standard header 35/34/(43)/49/52/56/(122). Owns what only the session knows:
// MsgSeqNum per direction (strictly +1 unless a gap is seeded; a PossDup resend reuses the
// original number), heartbeats after HeartBtInt of silence per direction, and the message
// index (0-based over every message of the file: the FIX parser's __cf_row_id).

export const BEGIN_STRING = 'FIX.4.4';

export interface SessionCompIds {
  /** Our SenderCompID (the buy-side OMS). */
  ours: string;
  /** The broker's SenderCompID. */
  theirs: string;
}

export interface Emitted {
  seq: number;
  sendingTime: string;
  index: number;
}

export class FixSessionWriter {
  private readonly nextSeq: Record<Direction, number> = { out: 1, in: 1 };
  /** +Infinity until the direction has sent its Logon: no heartbeat before it. */
  private readonly lastSent: Record<Direction, number> = { out: Infinity, in: Infinity };
  messageCount = 0;
  lastTime = -Infinity;
  readonly messagesByType: Record<string, number> = {};

  constructor(
    private readonly out: BufferedFileWriter,
    readonly compIds: SessionCompIds,
    private readonly truth: TruthCollector,
    private readonly heartbeatMs = 30_000,
  ) {}

  private sender(dir: Direction): [string, string] {
    return dir === 'out' ? [this.compIds.ours, this.compIds.theirs] : [this.compIds.theirs, this.compIds.ours];
  }

  /** Emits the heartbeats due before `at`, then the message. */
  write(m: PlannedMessage): Emitted {
    this.heartbeatsBefore(m.at);
    return this.emit(m);
  }

  heartbeatsBefore(at: number): void {
    for (;;) {
      const dir: Direction = this.lastSent.out <= this.lastSent.in ? 'out' : 'in';
      const due = this.lastSent[dir] + this.heartbeatMs;
      if (!(due < at)) return;
      this.emit({ at: due, dir, msgType: '0', body: '' });
    }
  }

  private emit(m: PlannedMessage): Emitted {
    const [sender, target] = this.sender(m.dir);
    let seq: number;
    if (m.possDup) seq = m.possDup.seq;
    else {
      if (m.gapBefore) this.nextSeq[m.dir] += m.gapBefore;
      seq = this.nextSeq[m.dir]++;
    }
    const index = this.writeLine(m, seq, sender, target);
    if (m.gapBefore && !m.possDup) {
      this.truth.addBreak({
        class: 'sequence_gap', cl_ord_id: null, chain: [], scenario: 'sequence_gap',
        session: { sender_comp_id: sender, target_comp_id: target }, msg_seq_num: seq, source_row: index,
      });
    }
    if (m.quarantine) {
      this.truth.addQuarantine({
        output: m.quarantine.output, violation_type: m.quarantine.violation_type, source_row: index,
        column: m.quarantine.column, scenario: m.quarantine.scenario,
      });
    }
    if (m.duplicateSeqAfter) {
      const dupIndex = this.writeLine({ at: m.at, dir: m.dir, msgType: '0', body: '' }, seq, sender, target);
      this.truth.addBreak({
        class: 'duplicate_seq_num', cl_ord_id: null, chain: [], scenario: 'duplicate_seq_num',
        session: { sender_comp_id: sender, target_comp_id: target }, msg_seq_num: seq, source_row: dupIndex,
      });
    }
    return { seq, sendingTime: fixUtcTimestamp(m.at), index };
  }

  private writeLine(m: PlannedMessage, seq: number, sender: string, target: string): number {
    const header: FixField[] = [[35, m.msgType], [34, String(seq)]];
    if (m.possDup) header.push([43, 'Y']);
    header.push([49, sender], [52, fixUtcTimestamp(m.at)], [56, target]);
    if (m.possDup) header.push([122, m.possDup.origSendingTime]);
    this.out.write(encodeFixMessage(BEGIN_STRING, fieldsText(header), m.body, m.bodySum) + '\n');
    this.lastSent[m.dir] = m.at;
    this.lastTime = Math.max(this.lastTime, m.at);
    this.messagesByType[m.msgType] = (this.messagesByType[m.msgType] ?? 0) + 1;
    return this.messageCount++;
  }
}
