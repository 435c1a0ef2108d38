'use client';
// Posts the credentials to /api/auth/login; the session cookie comes back HttpOnly. Before
// hydration (or without JavaScript) the same form posts natively and the API redirects.
import { useState, type FormEvent } from 'react';

export function LoginForm({ next, failed }: { next: string; failed: boolean }) {
  const [error, setError] = useState<string | null>(failed ? 'Unknown username or wrong password.' : null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `Login failed (${res.status}).`);
    } catch {
      setError('The server could not be reached.');
    }
    setBusy(false);
  }

  return (
    <form className="stack" method="post" action="/api/auth/login" onSubmit={submit}>
      <input type="hidden" name="next" value={next} />
      <label>
        Username
        <input name="username" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button className="primary" type="submit" disabled={busy}>
        Log in
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
