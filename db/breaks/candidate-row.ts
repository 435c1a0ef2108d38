// One break as a detection step finds it, before id, severity and age are given (all text: the
// decimals stay exact, details and evidence are JSON text built in SQL). It is the pure layer's
// FoundBreak: the SQL steps produce exactly what lib/breaks turns into a stored break.
import type { FoundBreak } from '../../lib/breaks/break-record';

export type { FoundBreak as CandidateRow } from '../../lib/breaks/break-record';

/** Where a detection step hands its candidates, one chunk at a time (detectBreaks stages them). */
export type StageCandidates = (rows: FoundBreak[]) => Promise<void>;
