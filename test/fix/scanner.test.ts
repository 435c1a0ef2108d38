import { describe, expect, it } from 'vitest';
import { FixScanner, type FixScanEvents } from '../../lib/fix/fix-scanner';
import { fixMsg } from './fix-test-helpers';

// The framer on its own, fed in chunks: joining the previous chunk's unfinished tail with the
// head of the next one, then switching onto the chunk itself, must not change anything.

class Recorder implements FixScanEvents {
  readonly events: string[] = [];
  scanner!: FixScanner;
  onMessage(s: FixScanner): void {
    const json = s.json.subarray(0, s.jsonLength).toString('latin1');
    this.events.push(`msg@${s.offsetOf(s.msgStart)}+${s.msgEnd - s.msgStart} line ${s.msgLine} ${s.bodyLengthOk}/${s.checksumOk}/${s.checksumPresent} ${json}`);
  }
  onError(code: string, _message: string, start: number, end: number, line: number): void {
    this.events.push(`err ${code}@${this.scanner.offsetOf(start)}+${end - start} line ${line}`);
  }
}

function scan(bytes: Buffer, chunk: number, joinHead: number): string[] {
  const r = new Recorder();
  const s = new FixScanner(r, 0, 1, joinHead);
  r.scanner = s;
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
  s.finish();
  return r.events;
}

const LOG = Buffer.from(
  [
    `IN ${fixMsg('FIX.4.4', '35=D|11=A|55=IBM|')}`,
    `# comment 8=FIX.4.2`,
    `${fixMsg('FIX.4.2', '35=8|17=E1|95=4|96=a\x01\nb|58=x|')}${fixMsg('FIX.4.4', '35=0|')}`,
    `35=D\x0111=orphan\x01`,
    fixMsg('FIX.4.4', '35=D|11=B|').replace('\x0111=', '\x01\r\n11='),
    fixMsg('FIX.4.4', '35=D|11=C|58=' + 'long text '.repeat(30) + '|'),
    `8=FIX.4.4\x0135=0\x01garbled\x0110=000\x01`,
    fixMsg('FIX.4.4', '35=D|11=D|').slice(0, 22),
  ].join('\n'),
  'latin1',
);

describe('FixScanner chunk joining', () => {
  it('frames the same messages and errors for every chunk size and join-head size', () => {
    const whole = scan(LOG, LOG.length, 64 * 1024);
    expect(whole.filter((e) => e.startsWith('msg')).length).toBe(5);
    expect(whole.filter((e) => e.startsWith('err')).map((e) => e.split('@')[0])).toEqual([
      'err fix.no_begin_string', 'err fix.garbled_field', 'err fix.truncated',
    ]);
    for (const chunk of [1, 2, 3, 7, 16, 50, 99, 256]) {
      for (const joinHead of [1, 5, 16, 64, 1 << 16]) {
        expect(scan(LOG, chunk, joinHead)).toEqual(whole);
      }
    }
  });
});
