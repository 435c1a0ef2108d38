// The audit log, newest first, with the verification status of the whole hash chain.
import { auditChainStatus, auditLogPage } from '../../../lib/server/audit/audit-service';
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { AdminTabs } from '../admin-tabs';

const PAGE = 100;

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  await requirePageUser('audit.read', '/admin/audit');
  const { before } = await searchParams;
  const beforeSeq = before && /^\d{1,18}$/.test(before) ? before : null;
  const status = await auditChainStatus();
  const rows = await auditLogPage({ beforeSeq, limit: PAGE });
  const last = rows.at(-1);
  return (
    <>
      <h1>Audit log</h1>
      <AdminTabs current="audit" />
      <div className="panel" data-testid="audit-status">
        {status.ok ? (
          <span className="status-ok">Chain verified: {status.entries} entries, every hash matches.</span>
        ) : (
          <span className="status-bad">
            Chain broken at entry {status.first_bad_seq} ({status.reason.replaceAll('_', ' ')}); {status.entries} entries before it verify.
          </span>
        )}
      </div>
      <table>
        <thead>
          <tr>
            <th className="num">Seq</th>
            <th>At (UTC)</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Subject</th>
            <th>Details</th>
            <th>Hash</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq}>
              <td className="num">{r.seq}</td>
              <td className="mono">{r.at}</td>
              <td>{r.actor}</td>
              <td className="mono">{r.action}</td>
              <td className="mono">{r.subject}</td>
              <td className="mono">{r.details}</td>
              <td className="mono" title={r.hash}>
                {r.hash.slice(0, 12)}…
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === PAGE && last && (
        <p>
          <a href={`/admin/audit?before=${last.seq}`}>Older entries</a>
        </p>
      )}
    </>
  );
}
