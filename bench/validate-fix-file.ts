// The FIX file the validate benchmark runs on: order events only (D, then 8 acks / fills), the
// shape of a busy order-flow log, deterministic, with BodyLength and CheckSum right.
import { createWriteStream } from 'node:fs';
import { serializeFixMessage, type FixField } from '../lib/fix/fix-serialize';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function orderEventAt(i: number): string {
  const time = `20240315-${pad(9 + (Math.floor(i / 3_600_000) % 8), 2)}:${pad(Math.floor(i / 60_000) % 60, 2)}:${pad(Math.floor(i / 1000) % 60, 2)}.${pad(i % 1000, 3)}`;
  const order = Math.floor(i / 4);
  const head: FixField[] = [[49, 'BUYSIDE'], [56, 'BROKER'], [34, String(i + 2)], [52, time]];
  const kind = i % 4;
  if (kind === 0) {
    return serializeFixMessage('FIX.4.4', [
      [35, 'D'], ...head, [11, `ORD${order}`], [1, 'ACC-7'], [55, 'MSFT'], [54, '1'], [38, '1000'], [40, '2'], [44, '411.25'], [59, '0'], [60, time],
    ]);
  }
  const fill = kind >= 2;
  const cum = kind === 1 ? '0' : kind === 2 ? '400' : '1000';
  return serializeFixMessage('FIX.4.4', [
    [35, '8'], ...head, [37, `X${order}`], [11, `ORD${order}`], [17, `EX${i}`], [150, kind === 1 ? '0' : 'F'],
    [39, kind === 1 ? '0' : kind === 2 ? '1' : '2'], [55, 'MSFT'], [54, '1'], [38, '1000'], [44, '411.25'],
    ...(fill ? ([[32, kind === 2 ? '400' : '600'], [31, '411.2500']] as FixField[]) : []),
    [14, cum], [151, String(1000 - Number(cum))], [6, fill ? '411.25' : '0'], [75, '20240315'], [60, time],
  ]);
}

export async function writeOrderEventFixFile(file: string, messages: number): Promise<void> {
  const out = createWriteStream(file);
  let block: string[] = [];
  for (let i = 0; i < messages; i++) {
    block.push(orderEventAt(i), '\n');
    if (block.length >= 20_000) {
      if (!out.write(block.join(''), 'latin1')) await new Promise<void>((r) => out.once('drain', () => r()));
      block = [];
    }
  }
  out.write(block.join(''), 'latin1');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
