// Counts per class over the filtered set (the class filter aside): each links to that class.
import { filterSearchParams, type BreakBrowserQuery } from '../../lib/server/breaks/break-browser-query';

export function ClassCounts({ counts, query, total }: { counts: Record<string, number>; query: BreakBrowserQuery; total: number }) {
  const href = (cls: string | null) => {
    const p = filterSearchParams(query);
    if (cls) p.set('class', cls);
    else p.delete('class');
    const s = p.toString();
    return s ? `/breaks?${s}` : '/breaks';
  };
  return (
    <section className="panel" aria-labelledby="class-counts-h">
      <h2 id="class-counts-h">Breaks per class</h2>
      <table aria-label="Breaks per class">
        <tbody>
          <tr>
            <td>{query.class ? <a href={href(null)}>all classes</a> : <strong>all classes</strong>}</td>
            <td className="num">{total}</td>
          </tr>
          {Object.entries(counts).map(([cls, n]) => (
            <tr key={cls}>
              <td className="mono">{query.class === cls ? <strong>{cls}</strong> : <a href={href(cls)}>{cls}</a>}</td>
              <td className="num">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
