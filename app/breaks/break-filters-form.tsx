// The filters as a GET form: submitting sends only the filters (and the sort), never a cursor,
// so every change of a filter starts again from the first page.
import { BREAK_AGE_BUCKETS, BREAK_STATUSES, type BreakBrowserQuery } from '../../lib/server/breaks/break-browser-query';

export function BreakFiltersForm({ query, classes }: { query: BreakBrowserQuery; classes: string[] }) {
  const classOptions = query.class && !classes.includes(query.class) ? [...classes, query.class] : classes;
  return (
    <form method="get" action="/breaks" className="panel breaks-filters" role="search" aria-label="Break filters">
      <label>
        ClOrdID
        <input name="cl_ord_id" defaultValue={query.cl_ord_id ?? ''} placeholder="exact, or prefix*" />
      </label>
      <label>
        Class
        <select name="class" defaultValue={query.class ?? ''}>
          <option value="">any</option>
          {classOptions.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select name="status" defaultValue={query.status ?? ''}>
          <option value="">any</option>
          {BREAK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Symbol
        <input name="symbol" defaultValue={query.symbol ?? ''} size={8} />
      </label>
      <label>
        Account
        <input name="account" defaultValue={query.account ?? ''} size={10} />
      </label>
      <label>
        Assignee
        <input name="assignee" defaultValue={query.assignee ?? ''} size={10} />
      </label>
      <label>
        Age
        <select name="age" defaultValue={query.age ?? ''}>
          <option value="">any</option>
          {BREAK_AGE_BUCKETS.map((a) => (
            <option key={a} value={a}>
              {a} business days
            </option>
          ))}
        </select>
      </label>
      <label>
        Trade date from
        <input type="date" name="from" defaultValue={query.from ?? ''} />
      </label>
      <label>
        Trade date to
        <input type="date" name="to" defaultValue={query.to ?? ''} />
      </label>
      <label>
        Rows per page
        <select name="limit" defaultValue={String(query.limit)}>
          {[...new Set([10, 25, 50, 100, 200, query.limit])].sort((a, b) => a - b).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {query.sort !== 'first_seen' && <input type="hidden" name="sort" value={query.sort} />}
      {query.dir !== 'desc' && <input type="hidden" name="dir" value={query.dir} />}
      <div className="breaks-filter-buttons">
        <button type="submit" className="primary">
          Search
        </button>
        <a href="/breaks">Clear</a>
      </div>
    </form>
  );
}
