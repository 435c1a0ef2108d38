'use client';
// Ends the session on the server, then goes to the login page.
import { useState } from 'react';

export function LogoutButton() {
  const [busy, setBusy] = useState(false);
  async function logout() {
    setBusy(true);
    await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    window.location.assign('/login');
  }
  return (
    <button type="button" onClick={logout} disabled={busy}>
      Log out
    </button>
  );
}
