// FIX logs for the jobs tests, built with the FIX serializer (correct BodyLength and CheckSum).
// Each order is a NewOrderSingle, an ack and a fill; `badPriceEvery` orders get an unparseable
// price (a quarantined row) and `garbledLines` lines of junk give parse errors.
import { serializeFixMessage, type FixField } from '../../lib/fix/index';

export interface FixFixtureOptions {
  orders: number;
  badPriceEvery?: number;
  garbledLines?: number;
}

function ts(i: number): string {
  const s = i % 60;
  const m = Math.floor(i / 60) % 60;
  const h = 9 + (Math.floor(i / 3600) % 8);
  return `20240102-${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.000`;
}

export function buildFixLog(opts: FixFixtureOptions): string {
  const lines: string[] = [];
  let seq = 1;
  const header = (type: string, i: number, from = 'BUYSIDE', to = 'SELLSIDE'): FixField[] => [
    [35, type], [49, from], [56, to], [34, String(seq++)], [52, ts(i)],
  ];
  lines.push(serializeFixMessage('FIX.4.4', [...header('A', 0), [98, '0'], [108, '30']]));
  for (let i = 0; i < opts.orders; i++) {
    const clOrdId = `ORD${i}`;
    const bad = opts.badPriceEvery !== undefined && i % opts.badPriceEvery === 0;
    const price = bad ? '1.2.3' : `${100 + (i % 50)}.25`;
    lines.push(serializeFixMessage('FIX.4.4', [
      ...header('D', i), [11, clOrdId], [55, 'AAPL'], [54, '1'], [38, '100'], [40, '2'], [44, price], [60, ts(i)],
    ]));
    lines.push(serializeFixMessage('FIX.4.4', [
      ...header('8', i, 'SELLSIDE', 'BUYSIDE'), [37, `OID${i}`], [11, clOrdId], [17, `EXA${i}`], [150, '0'], [39, '0'],
      [55, 'AAPL'], [54, '1'], [38, '100'], [32, '0'], [31, '0'], [14, '0'], [151, '100'], [6, '0'], [60, ts(i)],
    ]));
    lines.push(serializeFixMessage('FIX.4.4', [
      ...header('8', i, 'SELLSIDE', 'BUYSIDE'), [37, `OID${i}`], [11, clOrdId], [17, `EXF${i}`], [150, 'F'], [39, '2'],
      [55, 'AAPL'], [54, '1'], [38, '100'], [32, '100'], [31, `${100 + (i % 50)}.25`], [14, '100'], [151, '0'],
      [6, `${100 + (i % 50)}.25`], [60, ts(i)],
    ]));
  }
  for (let g = 0; g < (opts.garbledLines ?? 0); g++) lines.push(`8=FIX.4.4\x019=5\x0135=D\x01garbage${g}`);
  return lines.join('\n') + '\n';
}
