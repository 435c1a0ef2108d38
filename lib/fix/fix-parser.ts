import type { ParserDefinition } from '../parsers/parser-types';
import { FIX_OUTPUTS, ORDER_EVENT_COLUMNS, SESSION_EVENT_COLUMNS } from './fix-output-columns';
import { fixLogicHash } from './fix-logic-hash';
import { parseFixStream } from './fix-parse-stream';
import { sniffFix } from './fix-sniff';

/** The `fix` parser: FIX tag=value logs (4.0–4.4, FIXT.1.1) into order and session events. */
export const fixParser: ParserDefinition = {
  id: 'fix',
  version: '1.0.0',
  outputs: [
    {
      name: FIX_OUTPUTS.orderEvents,
      description: 'One row per order-related message (D, F, G, H, 8, 9, Q, AE, … and any application message with 11, 37 or 17).',
      columns: ORDER_EVENT_COLUMNS,
    },
    {
      name: FIX_OUTPUTS.sessionEvents,
      description: 'One row per session message (A, 0, 1, 2, 3, 4, 5, j).',
      columns: SESSION_EVENT_COLUMNS,
    },
  ],
  errorOutput: FIX_OUTPUTS.parseErrors,
  logicHash: fixLogicHash,
  sniff: sniffFix,
  parse: parseFixStream,
};
