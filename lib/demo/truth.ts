import type { SeededBreak, SeededQuarantine } from './plan-types';

// The ground truth of a generated dataset, collected while it is written (seeded breaks are few:
// about one per 250 orders per class, so they stay in memory even for 10M-message files).

export class TruthCollector {
  readonly breaks: SeededBreak[] = [];
  readonly quarantine: SeededQuarantine[] = [];

  addBreak(b: SeededBreak): void {
    this.breaks.push(b);
  }

  addQuarantine(q: SeededQuarantine): void {
    this.quarantine.push(q);
  }

  /** Stable order: by class then ClOrdID (session breaks by row); quarantine by output then row. */
  sorted(): { breaks: SeededBreak[]; quarantine: SeededQuarantine[] } {
    const breaks = [...this.breaks].sort(
      (a, b) =>
        cmp(a.class, b.class) || cmp(a.cl_ord_id ?? '', b.cl_ord_id ?? '') || (a.source_row ?? 0) - (b.source_row ?? 0),
    );
    const quarantine = [...this.quarantine].sort((a, b) => cmp(a.output, b.output) || a.source_row - b.source_row);
    return { breaks, quarantine };
  }

  countsByClass(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const b of [...this.breaks].sort((a, b) => cmp(a.class, b.class))) counts[b.class] = (counts[b.class] ?? 0) + 1;
    return counts;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
