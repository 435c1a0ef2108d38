import { describe, expect, it } from 'vitest';
import { createResultHasher } from '../../lib/pipeline/result-hasher';

describe('createResultHasher', () => {
  it('does not depend on key order, depends on row order and on values', () => {
    const a = createResultHasher();
    a.update({ x: '1', y: null, _cf_processed_at: 'now' });
    a.update({ x: '2', y: true });
    const b = createResultHasher();
    b.update({ y: null, x: '1' });
    b.update({ _cf_job_id: 'other', y: true, x: '2' });
    expect(a.digest()).toBe(b.digest());
    expect(a.rows).toBe(2);
    const c = createResultHasher();
    c.update({ x: '2', y: true });
    c.update({ x: '1', y: null });
    expect(c.digest()).not.toBe(a.digest());
    const d = createResultHasher();
    d.update({ x: '1', y: null });
    d.update({ x: '2', y: 'true' }); // the text "true" is not the boolean true
    expect(d.digest()).not.toBe(a.digest());
  });
  it('digest can be read more than once', () => {
    const h = createResultHasher();
    h.update({ a: 1 });
    expect(h.digest()).toBe(h.digest());
  });
});
