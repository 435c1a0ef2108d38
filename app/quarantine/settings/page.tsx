// The quarantine settings cascade: built-in default < global setting < contract policy <
// per-upload override. This page shows the global setting (and its history); a user holding
// quarantine.settings changes it here (checked again on the server, audited).
import { DEFAULT_QUARANTINE_POLICY } from '../../../lib/contracts/contract-document';
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { hasPermission } from '../../../lib/server/permissions';
import { globalSettingHistoryNow, globalSettingNow } from '../../../lib/server/quarantine-settings/settings-service';
import { GlobalSettingForm } from './global-setting-form';

export const dynamic = 'force-dynamic';

function show(v: unknown): string {
  if (v === undefined) return 'inherit';
  if (v === null) return 'no limit';
  return String(v);
}

export default async function QuarantineSettingsPage() {
  const user = await requirePageUser('quarantine.read', '/quarantine/settings');
  const [current, history] = await Promise.all([globalSettingNow(), globalSettingHistoryNow()]);
  const keys = ['allow_quarantine', 'max_quarantine_pct', 'max_quarantine_count'] as const;
  return (
    <>
      <h1>Quarantine settings</h1>
      <p>
        Each value of a job&apos;s quarantine policy comes from the highest layer that sets it: built-in default &lt; global setting &lt; contract
        policy (the values a contract states; a contract lists the values it leaves to this cascade in <code>quarantine_inherit</code>) &lt;
        per-upload override (users holding <code>quarantine.override</code>). The job page shows where each value came from.
      </p>
      <table aria-label="Global quarantine setting" data-testid="global-setting">
        <thead>
          <tr>
            <th>Setting</th>
            <th>Built-in default</th>
            <th>Global setting</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k}>
              <td className="mono">{k}</td>
              <td className="mono">{show(DEFAULT_QUARANTINE_POLICY[k])}</td>
              <td className="mono">{show(current.policy[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{current.set_by ? `Set by ${current.set_by} at ${current.set_at}.` : 'Never set: the built-in defaults apply.'}</p>
      {hasPermission(user, 'quarantine.settings') ? (
        <GlobalSettingForm current={current.policy} />
      ) : (
        <p className="muted">Changing the global setting needs the permission quarantine.settings.</p>
      )}
      {history.length > 1 && (
        <>
          <h2>Earlier settings</h2>
          <ul>
            {history.slice(1).map((h) => (
              <li key={`${h.set_at}-${h.set_by}`} className="mono">
                {h.set_at} {h.set_by}: {JSON.stringify(h.policy)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
