// The break-detection pass running or queued in this server, for the breaks page: while it runs,
// the breaks the page shows are those of the last pass (minutes at 10M messages).
import type { BreakPassView } from '../jobs/break-pass-progress';
import { dispatcherLookup } from '../jobs/dispatcher-lookup';

/** null when none is running or queued here, or no dispatcher runs in the process. */
export function currentBreakPass(): BreakPassView | null {
  return dispatcherLookup()?.currentBreakPass() ?? null;
}
