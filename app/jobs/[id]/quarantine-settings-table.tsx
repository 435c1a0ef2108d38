// The quarantine settings a job runs with, per output: each value of the policy and the layer of
// the cascade it came from (built-in default < global setting < contract policy < per-upload
// override), with the layers it overrode. Server component.
import type { PolicySource } from '../../../lib/server/quarantine-settings/resolve-quarantine-policy';
import { quarantineSettingsForJobPage } from '../../../lib/server/quarantine-settings/settings-service';

const SOURCE_LABEL: Record<PolicySource, string> = {
  built_in: 'built-in default',
  global: 'global setting',
  contract: 'contract policy',
  upload_override: 'upload override',
};

function show(v: unknown): string {
  if (v === null) return 'no limit';
  return String(v);
}

export async function QuarantineSettingsTable({ jobId, started }: { jobId: string; started: boolean }) {
  const outputs = await quarantineSettingsForJobPage(jobId);
  if (!outputs || outputs.length === 0) return null;
  return (
    <section aria-labelledby="quarantine-settings-heading">
      <h2 id="quarantine-settings-heading">Quarantine settings</h2>
      {!outputs[0].recorded && (
        <p className="muted">
          {started
            ? 'Not recorded (the job ran before settings were recorded per job): these are the values it would get now.'
            : 'Not run yet: these are the values the job would get now.'}
        </p>
      )}
      <table aria-label="Quarantine settings" data-testid="quarantine-settings">
        <thead>
          <tr>
            <th>Output</th>
            <th>Setting</th>
            <th>Value</th>
            <th>From</th>
            <th>Overrode</th>
          </tr>
        </thead>
        <tbody>
          {outputs.flatMap((o) =>
            (['allow_quarantine', 'max_quarantine_pct', 'max_quarantine_count'] as const).map((k) => {
              const v = o.resolved.values[k];
              const below = v.layers.filter((l) => l.source !== v.source && !l.ignored);
              return (
                <tr key={`${o.output}.${k}`} data-testid={`setting-${o.output}-${k}`}>
                  <td className="mono">{o.output}</td>
                  <td className="mono">{k}</td>
                  <td className="mono">{show(v.value)}</td>
                  <td>
                    {SOURCE_LABEL[v.source]}
                    {v.source === 'upload_override' && o.override_by ? ` (by ${o.override_by})` : ''}
                  </td>
                  <td className="muted">
                    {below.map((l) => `${SOURCE_LABEL[l.source]}: ${show(l.value)}`).join('; ') || '–'}
                  </td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </section>
  );
}
