import type { BufferedFileWriter } from './buffered-file-writer';
import { CONFIRMATION_COLUMNS, type ConfirmationRow } from './plan-types';
import type { TruthCollector } from './truth';

// Writes the counterparty's confirmations CSV. No value contains a comma, quote or newline
// (they are ids, codes, decimals and dates), so no cell is quoted. Row ordinals are 1-based
// data records (header excluded): the __cf_row_id of the confirmations parser.

export class ConfirmationsWriter {
  rows = 0;

  constructor(
    private readonly out: BufferedFileWriter,
    private readonly truth: TruthCollector,
  ) {
    out.write(CONFIRMATION_COLUMNS.join(',') + '\n');
  }

  write(row: ConfirmationRow): void {
    this.rows++;
    let line = '';
    for (let i = 0; i < CONFIRMATION_COLUMNS.length; i++) {
      const value = row[CONFIRMATION_COLUMNS[i]];
      if (/[",\r\n]/.test(value)) throw new Error(`confirmation value needs quoting: ${JSON.stringify(value)}`);
      line += i === 0 ? value : ',' + value;
    }
    this.out.write(line + '\n');
    if (row.quarantine) {
      this.truth.addQuarantine({
        output: 'confirmations',
        violation_type: row.quarantine.violation_type,
        source_row: this.rows,
        column: row.quarantine.column,
        scenario: row.quarantine.scenario ?? 'unknown',
      });
    }
  }
}
