// What the job page shows of the break-detection pass after a promotion: waiting, done or failed
// (with the step that failed and the error's first line), from the job's metrics.
import { describe, expect, it } from 'vitest';
import { detectBreaks, detectionStepOf } from '../../db/breaks/detect-breaks';
import { describePassError } from '../../lib/server/jobs/break-detection-queue';
import { breakDetectionView } from '../../lib/server/jobs/job-views';
import { useTempDb } from '../breaks/fix-scenario';

describe('break detection on the job page', () => {
  const t = useTempDb({ reset: false });

  it('is nothing before promotion, waiting until a pass covers the job, then done or failed', () => {
    expect(breakDetectionView({ promoted_at: null, metrics: { rows: 3 } })).toBeNull();
    expect(breakDetectionView({ promoted_at: '2026-11-26T12:00:00Z', metrics: { rows: 3 } })).toEqual({ state: 'waiting', at: null, ms: null, error: null });
    expect(breakDetectionView({ promoted_at: '2026-11-26T12:00:00Z', metrics: { breaks_detected_at: '2026-11-26T12:07:00Z', breaks_detect_ms: 420_000 } }))
      .toEqual({ state: 'done', at: '2026-11-26T12:07:00Z', ms: 420_000, error: null });
    expect(breakDetectionView({ promoted_at: '2026-11-26T12:00:00Z', metrics: { breaks_detected_at: '2026-11-26T12:02:00Z', breaks_detect_ms: 106_021, breaks_error: 'chains: Out of Memory Error' } }))
      .toEqual({ state: 'failed', at: '2026-11-26T12:02:00Z', ms: 106_021, error: 'chains: Out of Memory Error' });
  });

  it('names the step a real pass failed in, with the first line of the error only', async () => {
    // A warehouse table without the columns detection reads: the pass fails in a known step.
    await t.db.run('DROP TABLE fix_order_events');
    await t.db.run('CREATE TABLE fix_order_events (msg_type VARCHAR)');
    const error = await detectBreaks(t.db, { asOf: '2026-11-24' }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(detectionStepOf(error)).toBe('scope');
    const text = describePassError(error);
    expect(text).toMatch(/^scope: breaks\.missing_lineage: /);
    expect(text).not.toContain('\n');
    expect(describePassError(new Error(`Out of Memory Error: failed to allocate\n\nPossible solutions:\n* SET memory_limit`))).toBe('Out of Memory Error: failed to allocate');
    expect(describePassError('x'.repeat(900))).toHaveLength(500);
  });
});
