import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  cronMatches,
  daysInRange,
  firingsBetween,
  globToRegExp,
  materialisationKey,
  matchesName,
  parseCron,
  parsePipelineDefinition,
  selectionWindow,
} from '../../lib/pipelines';

const base = { name: 'desk-a', source: { dir: 'desk-a/fix' }, parser: 'fix' };

describe('pipeline definition', () => {
  it('accepts a full definition from JSON text', () => {
    const r = parsePipelineDefinition(
      JSON.stringify({ ...base, filters: { glob: '**/*.log', since: 'P1D' }, schedule: '30 6 * * 1-5', export: { dir: 'exports/desk-a' } }),
    );
    expect(r.ok).toBe(true);
  });

  it.each(['../outside', 'a/../../b', '/etc', 'C:/x', '..'])('refuses the escaping source dir %s with pipeline.path_escape', (dir) => {
    const r = parsePipelineDefinition({ ...base, source: { dir } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.code)).toContain('pipeline.path_escape');
  });

  it('refuses an escaping export dir, a bad duration, a bad cron and an unknown parser', () => {
    for (const bad of [
      { ...base, export: { dir: '../x' } },
      { ...base, filters: { since: '1 day' } },
      { ...base, schedule: '61 * * * *' },
      { ...base, parser: 'sql' },
      { ...base, filters: { sql: 'select 1' } },
    ]) {
      expect(parsePipelineDefinition(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(parsePipelineDefinition('{not json').ok).toBe(false);
  });
});

describe('filters and logical dates', () => {
  it('matches globs and extensions on relative paths', () => {
    expect(globToRegExp('*.log').test('a.log')).toBe(true);
    expect(globToRegExp('*.log').test('sub/a.log')).toBe(false);
    expect(globToRegExp('**/*.log').test('sub/deep/a.log')).toBe(true);
    expect(globToRegExp('**/*.log').test('a.log')).toBe(true);
    expect(matchesName('x.CSV', { extension: 'csv' })).toBe(true);
    expect(matchesName('x.csv.bak', { extension: '.csv' })).toBe(false);
  });

  it('selects the mtime window ending at the end of the logical day', () => {
    const w = selectionWindow('2024-03-05', 'P1D');
    expect(new Date(w.toMs).toISOString()).toBe('2024-03-06T00:00:00.000Z');
    expect(new Date(w.fromMs!).toISOString()).toBe('2024-03-05T00:00:00.000Z');
    expect(selectionWindow('2024-03-05').fromMs).toBeNull();
  });

  it('lists every day of a range inclusively and refuses reversed ranges', () => {
    const r = daysInRange('2024-02-27', '2024-03-01');
    expect(r).toEqual({ ok: true, days: ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01'] });
    expect(daysInRange('2024-03-02', '2024-03-01').ok).toBe(false);
    expect(daysInRange('2024-02-30', '2024-03-01').ok).toBe(false);
  });
});

describe('selection snapshot', () => {
  const a = { path: 'a.log', size: 10, mtime: '2024-01-01T00:00:00.000Z', sha256: 'aa' };
  const b = { path: 'b.log', size: 20, mtime: '2024-01-01T00:00:01.000Z', sha256: 'bb' };

  it('is independent of listing order and changes with any field of any file', () => {
    const h = buildSnapshot([a, b]).hash;
    expect(buildSnapshot([b, a]).hash).toBe(h);
    expect(buildSnapshot([a, { ...b, sha256: 'bc' }]).hash).not.toBe(h);
    expect(buildSnapshot([a, { ...b, size: 21 }]).hash).not.toBe(h);
    expect(buildSnapshot([a]).hash).not.toBe(h);
  });

  it('keys materialisation on bytes, parser version and contract', () => {
    const k = materialisationKey({ sha256: 'aa', parserId: 'fix', parserVersion: '1.0.0', contractHash: 'c1' });
    expect(materialisationKey({ sha256: 'aa', parserId: 'fix', parserVersion: '1.0.0', contractHash: 'c1' })).toBe(k);
    expect(materialisationKey({ sha256: 'aa', parserId: 'fix', parserVersion: '1.0.1', contractHash: 'c1' })).not.toBe(k);
    expect(materialisationKey({ sha256: 'aa', parserId: 'fix', parserVersion: '1.0.0', contractHash: 'c2' })).not.toBe(k);
  });
});

describe('cron schedules with an injected clock', () => {
  const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

  it('parses 5 fields and refuses anything else', () => {
    expect(parseCron('*/15 6-18 * * 1-5').ok).toBe(true);
    for (const bad of ['* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '5-1 * * * *', '*/0 * * * *', 'a * * * *']) {
      expect(parseCron(bad).ok, bad).toBe(false);
    }
  });

  it('fires on weekdays at 06:30 UTC and not on the weekend', () => {
    const c = parseCron('30 6 * * 1-5');
    if (!c.ok) throw new Error(c.message);
    expect(cronMatches(c.schedule, at('2024-03-04T06:30:00Z'))).toBe(true); // Monday
    expect(cronMatches(c.schedule, at('2024-03-04T06:31:00Z'))).toBe(false);
    expect(cronMatches(c.schedule, at('2024-03-09T06:30:00Z'))).toBe(false); // Saturday
    // A tick that last looked Friday 12:00 and now looks Tuesday 07:00 catches up Monday and Tuesday.
    const fired = firingsBetween(c.schedule, at('2024-03-08T12:00:00Z'), at('2024-03-12T07:00:00Z'));
    expect(fired.map((t) => t.toISO())).toEqual(['2024-03-11T06:30:00.000Z', '2024-03-12T06:30:00.000Z']);
    // The next tick from where the last stopped fires nothing twice.
    expect(firingsBetween(c.schedule, at('2024-03-12T07:00:00Z'), at('2024-03-12T08:00:00Z'))).toEqual([]);
  });

  it('treats 7 as Sunday and ORs restricted day fields like cron', () => {
    const sun = parseCron('0 0 * * 7');
    if (!sun.ok) throw new Error(sun.message);
    expect(cronMatches(sun.schedule, at('2024-03-10T00:00:00Z'))).toBe(true);
    const either = parseCron('0 0 1 * 1');
    if (!either.ok) throw new Error(either.message);
    expect(cronMatches(either.schedule, at('2024-03-01T00:00:00Z'))).toBe(true); // 1st, a Friday
    expect(cronMatches(either.schedule, at('2024-03-04T00:00:00Z'))).toBe(true); // a Monday
    expect(cronMatches(either.schedule, at('2024-03-05T00:00:00Z'))).toBe(false);
  });
});
