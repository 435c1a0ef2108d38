import { POSITION_COLUMNS } from '../parser-types';

// Header names are normalised so that "Exec ID", "exec-id" and " EXEC_ID " all name `exec_id`:
// trimmed, lower-cased, and every run of whitespace or '-' becomes one '_'.

export function normaliseHeaderName(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export type HeaderProblem =
  | { code: 'csv.duplicate_header'; message: string }
  | { code: 'csv.reserved_header'; message: string };

export interface Header {
  /** Normalised names, one per cell of the header record, in file order. */
  columns: string[];
  /** The header cells as written in the file. */
  raw: string[];
  problems: HeaderProblem[];
}

const RESERVED = new Set<string>(POSITION_COLUMNS);

/**
 * Normalises the header record. An empty name becomes `column_<n>` (1-based cell position) so
 * every column can be addressed. Two cells that normalise to the same name, or a name that
 * collides with a position column, make the header ambiguous: reported as problems, never
 * resolved silently (a contract would otherwise validate whichever cell happened to win).
 */
export function buildHeader(cells: string[]): Header {
  const columns = cells.map((cell, i) => normaliseHeaderName(cell) || `column_${i + 1}`);
  const problems: HeaderProblem[] = [];
  const firstSeen = new Map<string, number>();
  columns.forEach((name, i) => {
    const earlier = firstSeen.get(name);
    if (earlier !== undefined) {
      problems.push({
        code: 'csv.duplicate_header',
        message: `header cells ${earlier + 1} (${JSON.stringify(cells[earlier])}) and ${i + 1} (${JSON.stringify(cells[i])}) both normalise to '${name}'`,
      });
    } else {
      firstSeen.set(name, i);
    }
    if (RESERVED.has(name)) {
      problems.push({
        code: 'csv.reserved_header',
        message: `header cell ${i + 1} (${JSON.stringify(cells[i])}) normalises to '${name}', a position column every row carries`,
      });
    }
  });
  return { columns, raw: cells, problems };
}
