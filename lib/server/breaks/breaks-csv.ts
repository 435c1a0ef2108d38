// CSV of breaks for spreadsheets. A text cell a spreadsheet would read as a formula (one that
// begins with = + - @, a tab or a carriage return) is neutralised with a leading single quote;
// numeric columns are written as bare numbers and never neutralised (a negative number is a
// number, not a formula), so they stay numbers when opened. RFC 4180 quoting.

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A text cell: neutralised, then quoted when it holds a quote, comma or line break. */
export function csvTextCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A numeric cell: the exact decimal text as is; anything that is not a plain number is written as text. */
export function csvNumberCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NUMBER.test(text) ? text : csvTextCell(text);
}

export interface CsvColumn<R> {
  name: string;
  kind: 'text' | 'number';
  get(row: R): string | number | null | undefined;
}

export function csvHeader<R>(columns: readonly CsvColumn<R>[]): string {
  return columns.map((c) => csvTextCell(c.name)).join(',') + '\r\n';
}

export function csvLine<R>(columns: readonly CsvColumn<R>[], row: R): string {
  return (
    columns
      .map((c) => {
        const v = c.get(row);
        return c.kind === 'number' ? csvNumberCell(v) : csvTextCell(v === null || v === undefined ? null : String(v));
      })
      .join(',') + '\r\n'
  );
}

/**
 * A UTF-8 CSV download: the header, then one chunk of lines per pull from `open`'s rows, so the
 * reader's pace sets the reading (backpressure) and a cancelled download ends the query (the
 * generator is returned, which releases its connection). `open` runs on the first pull.
 */
export function csvStream<R>(open: () => Promise<{ columns: readonly CsvColumn<R>[]; rows: AsyncGenerator<R[], void, undefined> }>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let opened: { columns: readonly CsvColumn<R>[]; rows: AsyncGenerator<R[], void, undefined> } | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (opened === null) {
          opened = await open();
          controller.enqueue(enc.encode(csvHeader(opened.columns)));
          return;
        }
        const next = await opened.rows.next();
        if (next.done) return controller.close();
        let text = '';
        for (const row of next.value) text += csvLine(opened.columns, row);
        controller.enqueue(enc.encode(text));
      } catch (e) {
        controller.error(e);
        await opened?.rows.return(undefined);
      }
    },
    async cancel() {
      await opened?.rows.return(undefined);
    },
  });
}
