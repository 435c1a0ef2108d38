import { logicHashOf } from '../logic-hash';
import type { ParserDefinition } from '../parser-types';
import { CONFIRMATIONS_ERROR_OUTPUT, CONFIRMATIONS_INTENT } from './confirmations-intent';
import { parseConfirmations } from './parse-confirmations';
import { sniffConfirmations } from './sniff-confirmations';

// The `confirmations_csv` parser: counterparty / back-office confirmation files.

export const confirmationsParser: ParserDefinition = {
  id: 'confirmations_csv',
  version: '1.0.0',
  outputs: [CONFIRMATIONS_INTENT],
  errorOutput: CONFIRMATIONS_ERROR_OUTPUT,
  logicHash: () => logicHashOf('lib/parsers/confirmations'),
  sniff: sniffConfirmations,
  parse: parseConfirmations,
};

export { CONFIRMATIONS_COLUMNS, CONFIRMATIONS_OUTPUT, CONFIRMATIONS_ERROR_OUTPUT } from './confirmations-intent';
export { normaliseHeaderName } from './normalise-header';
