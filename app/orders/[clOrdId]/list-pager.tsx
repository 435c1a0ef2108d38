// Where the shown page of one of a chain's lists sits ("Messages 201–400 of 10,002") and links to
// its first, previous, next and last pages. The links keep the pages of the other lists and come
// back to this list's heading (#<list>-<session>). Nothing when the whole list is shown.
import { drillDownQuery, type DrillDownList, type DrillDownPages } from '../../../lib/server/breaks/drill-down-pages';

const fmt = (n: number) => n.toLocaleString('en-US');

const LABELS: Record<DrillDownList, string> = { messages: 'Messages', fills: 'Fills', breaks: 'Breaks' };

export function listAnchor(list: DrillDownList, session: string): string {
  return `${list}-${session}`;
}

export function ListPager(props: { clOrdId: string; session: string; list: DrillDownList; pages: DrillDownPages; from: number; shown: number; total: number }) {
  const { clOrdId, session, list, pages, from, shown, total } = props;
  if (total <= shown && from === 0) return null;
  const limit = pages[list].limit;
  const href = (f: number) =>
    `/orders/${encodeURIComponent(clOrdId)}${drillDownQuery({ ...pages, [list]: { from: f, limit } })}#${encodeURIComponent(listAnchor(list, session))}`;
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  const next = from + limit;
  const links: [string, string][] = [];
  if (from > 0) links.push(['First', href(0)], [`Previous ${fmt(limit)}`, href(Math.max(0, from - limit))]);
  if (next < total) links.push([`Next ${fmt(Math.min(limit, total - next))}`, href(next)], ['Last', href(last)]);
  return (
    <nav className="list-pager" aria-label={`Pages of ${LABELS[list].toLowerCase()} of session ${session}`}>
      <span data-testid={`${list}-range`}>
        {LABELS[list]} {shown === 0 ? 0 : `${fmt(from + 1)}–${fmt(from + shown)}`} of {fmt(total)}
      </span>
      {links.map(([label, to]) => (
        <span key={label}>
          {' · '}
          <a href={to}>{label}</a>
        </span>
      ))}
    </nav>
  );
}
