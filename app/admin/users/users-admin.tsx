'use client';
// Create users, change roles, disable / enable, reset passwords, through /api/admin/users.
import { useState, type FormEvent } from 'react';

interface User {
  username: string;
  display_name: string | null;
  roles: string[];
  disabled: boolean;
  created_at: string;
}

async function send(url: string, method: string, body: unknown): Promise<string | null> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
  if (!res) return 'The server could not be reached.';
  if (res.ok) return null;
  const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | null;
  const details = data?.error?.details?.map((d) => `${d.path}: ${d.message}`).join('; ');
  return `${data?.error?.message ?? `HTTP ${res.status}`}${details ? ` (${details})` : ''}`;
}

export function UsersAdmin({ users, roles, me }: { users: User[]; roles: string[]; me: string }) {
  const [error, setError] = useState<string | null>(null);

  async function act(url: string, method: string, body: unknown) {
    setError(null);
    const problem = await send(url, method, body);
    if (problem) setError(problem);
    else window.location.reload();
  }

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    await act('/api/admin/users', 'POST', {
      username: String(f.get('username') ?? ''),
      password: String(f.get('password') ?? ''),
      roles: roles.filter((r) => f.get(`role-${r}`) === 'on'),
    });
  }

  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>User</th>
            <th>Roles</th>
            <th>Status</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <UserRow key={u.username} user={u} roles={roles} me={me} act={act} />
          ))}
        </tbody>
      </table>

      <h2>New user</h2>
      <form className="stack panel" onSubmit={create}>
        <label>
          Username
          <input name="username" required pattern="[a-z][a-z0-9_.\-]{0,63}" />
        </label>
        <label>
          Password (at least 8 characters)
          <input name="password" type="password" required minLength={8} autoComplete="new-password" />
        </label>
        <fieldset>
          <legend>Roles</legend>
          {roles.map((r) => (
            <label key={r} style={{ flexDirection: 'row', gap: '0.4rem' }}>
              <input type="checkbox" name={`role-${r}`} /> {r}
            </label>
          ))}
        </fieldset>
        <button className="primary" type="submit">
          Create user
        </button>
      </form>
    </>
  );
}

function UserRow({ user, roles, me, act }: { user: User; roles: string[]; me: string; act: (url: string, method: string, body: unknown) => Promise<void> }) {
  const [selected, setSelected] = useState<string[]>(user.roles);
  const url = `/api/admin/users/${encodeURIComponent(user.username)}`;
  return (
    <tr>
      <td>
        {user.username}
        {user.username === me ? <span className="muted"> (you)</span> : null}
      </td>
      <td>
        {roles.map((r) => (
          <label key={r} style={{ flexDirection: 'row', display: 'inline-flex', gap: '0.25rem', marginRight: '0.75rem', fontWeight: 400 }}>
            <input
              type="checkbox"
              checked={selected.includes(r)}
              onChange={(e) => setSelected(e.target.checked ? [...selected, r] : selected.filter((x) => x !== r))}
            />
            {r}
          </label>
        ))}
      </td>
      <td className={user.disabled ? 'status-bad' : 'status-ok'}>{user.disabled ? 'disabled' : 'active'}</td>
      <td>
        <button type="button" onClick={() => act(url, 'PATCH', { roles: selected })}>
          Save roles
        </button>{' '}
        <button type="button" onClick={() => act(url, 'PATCH', { disabled: !user.disabled })}>
          {user.disabled ? 'Enable' : 'Disable'}
        </button>{' '}
        <button
          type="button"
          onClick={() => {
            const password = window.prompt(`New password for ${user.username} (at least 8 characters)`);
            if (password) void act(url, 'PATCH', { password });
          }}
        >
          Reset password
        </button>
      </td>
    </tr>
  );
}
