// The break browser: every filter, the ClOrdID search, the sort and the page live in the URL
// (server-side table state); the server reads one keyset page, the counts per class and the
// ageing of the filtered set. Changing a filter submits the form without the cursor: first page.
import { requirePageUser } from '../../lib/server/auth/current-user';
import { filterSearchParams, parseBreakBrowserQuery, type BreakBrowserQuery } from '../../lib/server/breaks/break-browser-query';
import { breakAssignees, breakBrowserView } from '../../lib/server/breaks/break-browser-service';
import { currentBreakPass } from '../../lib/server/breaks/break-pass-status';
import { hasPermission } from '../../lib/server/permissions';
import { AgeingChart } from './ageing-chart';
import { BreakPassBanner } from './break-pass-banner';
import { BreakFiltersForm } from './break-filters-form';
import { BreaksGrid } from './breaks-grid';
import { ClassCounts } from './class-counts';
import './breaks.css';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function hrefWith(q: BreakBrowserQuery, extra: Record<string, string>): string {
  const p = filterSearchParams(q);
  if (q.sort !== 'first_seen' || q.dir !== 'desc') {
    p.set('sort', q.sort);
    p.set('dir', q.dir);
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `/breaks?${s}` : '/breaks';
}

export default async function BreaksPage({ searchParams }: Props) {
  const user = await requirePageUser('breaks.read', '/breaks');
  const q = parseBreakBrowserQuery(await searchParams);
  const [view, assignees] = await Promise.all([breakBrowserView(q), hasPermission(user, 'breaks.write') ? breakAssignees() : Promise.resolve([])]);
  const filterQs = filterSearchParams(q).toString();
  const exportQs = (format: string) => `/api/breaks/export?format=${format}${filterQs ? `&${filterQs}` : ''}&sort=${q.sort}&dir=${q.dir}`;
  const total = Object.values(view.counts).reduce((a, b) => a + b, 0);
  const pass = currentBreakPass();
  return (
    <>
      <h1>Breaks</h1>
      <BreakPassBanner key={pass ? 'pass' : 'none'} initial={pass} />
      <BreakFiltersForm query={q} classes={Object.keys(view.counts)} />
      <div className="breaks-summary">
        <ClassCounts counts={view.counts} query={q} total={total} />
        <AgeingChart buckets={view.ageing} />
      </div>
      {hasPermission(user, 'breaks.export') && (
        <p className="breaks-export">
          Export the filtered set: <a href={exportQs('csv')}>CSV</a> · <a href={exportQs('parquet')}>Parquet</a>
        </p>
      )}
      <BreaksGrid
        items={view.items}
        sort={{ column: q.sort, desc: q.dir === 'desc' }}
        baseQuery={filterQs}
        prevHref={view.prev_cursor ? hrefWith(q, { before: view.prev_cursor }) : null}
        nextHref={view.next_cursor ? hrefWith(q, { cursor: view.next_cursor }) : null}
        assignees={assignees}
        canWrite={hasPermission(user, 'breaks.write')}
      />
    </>
  );
}
