'use client';
// The breaks grid: TanStack Table with server-side state. Sorting and paging are manual: a
// header click or a page link changes the URL and the server answers with that page; selection
// is the only client state (bulk assign), cleared when the page changes.
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import type { BreakListItem } from '../../lib/server/breaks/break-browser-service';

const SORTABLE = new Set(['first_seen', 'trade_date', 'age_days', 'severity', 'notional', 'class', 'status', 'cl_ord_id', 'symbol', 'account', 'assignee']);

const col = createColumnHelper<BreakListItem>();

function orderHref(clOrdId: string): string {
  return `/orders/${encodeURIComponent(clOrdId)}`;
}

export function BreaksGrid(props: {
  items: BreakListItem[];
  sort: { column: string; desc: boolean };
  baseQuery: string;
  prevHref: string | null;
  nextHref: string | null;
  assignees: string[];
  canWrite: boolean;
}) {
  const router = useRouter();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [assignee, setAssignee] = useState(props.assignees[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // A new page (or new filters) is a new set of rows: the selection does not carry over.
  useEffect(() => setRowSelection({}), [props.items]);

  const sorting: SortingState = [{ id: props.sort.column, desc: props.sort.desc }];

  const columns = useMemo(
    () => [
      ...(props.canWrite
        ? [
            col.display({
              id: 'select',
              header: ({ table }) => (
                <input
                  type="checkbox"
                  aria-label="Select all breaks on this page"
                  checked={table.getIsAllRowsSelected()}
                  onChange={table.getToggleAllRowsSelectedHandler()}
                />
              ),
              cell: ({ row }) => (
                <input
                  type="checkbox"
                  aria-label={`Select break ${row.original.break_id.slice(0, 12)}`}
                  checked={row.getIsSelected()}
                  onChange={row.getToggleSelectedHandler()}
                />
              ),
            }),
          ]
        : []),
      col.accessor('cl_ord_id', {
        header: 'ClOrdID',
        cell: (c) => {
          const v = c.getValue();
          return v ? (
            <a className="mono" href={orderHref(v)}>
              {v}
            </a>
          ) : (
            <span className="muted">{c.row.original.session ?? '–'}</span>
          );
        },
      }),
      col.accessor('class', { header: 'Class', cell: (c) => <span className="mono">{c.getValue()}</span> }),
      col.accessor('status', { header: 'Status' }),
      col.accessor('severity', { header: 'Severity' }),
      col.accessor('symbol', { header: 'Symbol', cell: (c) => c.getValue() ?? '' }),
      col.accessor('account', { header: 'Account', cell: (c) => c.getValue() ?? '' }),
      col.accessor('assignee', { header: 'Assignee', cell: (c) => c.getValue() ?? '' }),
      col.accessor('trade_date', { header: 'Trade date', cell: (c) => c.getValue() ?? '' }),
      col.accessor('age_days', { header: 'Age (days)', meta: { num: true }, cell: (c) => c.getValue() ?? '' }),
      col.accessor('notional', { header: 'Notional', meta: { num: true }, cell: (c) => c.getValue() ?? '' }),
      col.accessor('first_seen', { header: 'First seen (UTC)', cell: (c) => <span className="mono">{c.getValue().replace('T', ' ').slice(0, 19)}</span> }),
    ],
    [props.canWrite],
  );

  const table = useReactTable({
    data: props.items,
    columns,
    getRowId: (r) => r.break_id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableRowSelection: props.canWrite,
    state: { sorting, rowSelection },
    onRowSelectionChange: setRowSelection,
  });

  function sortHref(id: string): string {
    const p = new URLSearchParams(props.baseQuery);
    const desc = props.sort.column === id ? !props.sort.desc : id === 'first_seen' || id === 'age_days' || id === 'severity' || id === 'notional';
    p.set('sort', id);
    p.set('dir', desc ? 'desc' : 'asc');
    return `/breaks?${p.toString()}`;
  }

  const selected = Object.keys(rowSelection).filter((k) => rowSelection[k]);

  async function assignSelected() {
    if (selected.length === 0 || !assignee) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    let failed = 0;
    for (const id of selected) {
      const res = await fetch(`/api/breaks/${id}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'assign', assignee }),
      }).catch(() => null);
      if (!res || !res.ok) failed += 1;
    }
    setBusy(false);
    if (failed > 0) setError(`${failed} of ${selected.length} could not be assigned.`);
    else setMessage(`Assigned ${selected.length} break${selected.length === 1 ? '' : 's'} to ${assignee}.`);
    setRowSelection({});
    router.refresh();
  }

  return (
    <>
      {props.canWrite && (
        <div className="breaks-bulk" role="group" aria-label="Bulk assign">
          <span>{selected.length} selected</span>
          <label className="inline">
            Assign to
            <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              {props.assignees.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" disabled={busy || selected.length === 0 || !assignee} onClick={assignSelected}>
            Assign selected
          </button>
          {message && <span className="status-ok" role="status">{message}</span>}
          {error && <span className="error" role="alert">{error}</span>}
        </div>
      )}
      {props.items.length === 0 ? (
        <p className="muted">No breaks match these filters.</p>
      ) : (
        <table aria-label="Breaks">
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const num = (h.column.columnDef.meta as { num?: boolean } | undefined)?.num;
                  const sorted = h.column.getIsSorted();
                  return (
                    <th key={h.id} className={num ? 'num' : undefined} aria-sort={sorted ? (sorted === 'desc' ? 'descending' : 'ascending') : undefined}>
                      {SORTABLE.has(h.column.id) ? (
                        <a href={sortHref(h.column.id)}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          {sorted ? (sorted === 'desc' ? ' ▼' : ' ▲') : ''}
                        </a>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getVisibleCells().map((cell) => {
                  const num = (cell.column.columnDef.meta as { num?: boolean } | undefined)?.num;
                  return (
                    <td key={cell.id} className={num ? 'num' : undefined}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Pages">
        {props.prevHref ? <a href={props.prevHref}>← Previous</a> : <span className="muted">← Previous</span>}
        {props.nextHref ? <a href={props.nextHref}>Next →</a> : <span className="muted">Next →</span>}
      </nav>
    </>
  );
}
