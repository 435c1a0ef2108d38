// The admin sections.
export function AdminTabs({ current }: { current: 'users' | 'audit' | 'retention' }) {
  return (
    <p>
      {current === 'users' ? <strong>Users</strong> : <a href="/admin/users">Users</a>} ·{' '}
      {current === 'audit' ? <strong>Audit log</strong> : <a href="/admin/audit">Audit log</a>} ·{' '}
      {current === 'retention' ? <strong>Retention</strong> : <a href="/admin/retention">Retention</a>}
    </p>
  );
}
