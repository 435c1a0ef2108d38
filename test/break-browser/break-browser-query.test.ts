import { describe, expect, it } from 'vitest';
import { filterSearchParams, filtersOf, parseBreakBrowserQuery } from '../../lib/server/breaks/break-browser-query';

describe('the break browser state in the URL', () => {
  it('reads filters, sort and cursors, with defaults', () => {
    const q = parseBreakBrowserQuery(new URLSearchParams('class=overfill&status=open&cl_ord_id=ORD-1*&age=2-4&from=2024-01-02&sort=notional&dir=asc&cursor=abc&limit=10'));
    expect(q).toMatchObject({ class: 'overfill', status: 'open', cl_ord_id: 'ORD-1*', age: '2-4', from: '2024-01-02', sort: 'notional', dir: 'asc', cursor: 'abc', limit: 10 });
    expect(filtersOf(q)).toMatchObject({ classes: ['overfill'], statuses: ['open'], clOrdId: 'ORD-1*', ageBucket: '2-4', tradeDateFrom: '2024-01-02' });
    expect(parseBreakBrowserQuery({})).toMatchObject({ sort: 'first_seen', dir: 'desc', limit: 50 });
  });

  it('drops values that are not allowed instead of failing the page (no sort on an arbitrary column)', () => {
    const q = parseBreakBrowserQuery({ sort: 'details; DROP TABLE breaks', dir: 'sideways', status: 'closed', age: '9', from: '02/01/2024', limit: '100000', symbol: '' });
    expect(q).toMatchObject({ sort: 'first_seen', dir: 'desc', limit: 50 });
    expect(q.status).toBeUndefined();
    expect(q.age).toBeUndefined();
    expect(q.from).toBeUndefined();
    expect(q.symbol).toBeUndefined();
  });

  it('keeps only the filters (never a cursor) in the first-page query string', () => {
    const q = parseBreakBrowserQuery({ symbol: 'IBM', cursor: 'abc', before: 'def', sort: 'class', limit: '10' });
    expect(filterSearchParams(q).toString()).toBe('symbol=IBM&limit=10');
  });
});
