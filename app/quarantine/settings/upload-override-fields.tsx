'use client';
// The per-upload quarantine override on the upload page (users holding quarantine.override): the
// top layer of the settings cascade. Uncontrolled inputs inside a fieldset; the upload form reads
// them when it sends (overrideQuery) and the server checks the right again before storing a byte.

const FIELDSET_ID = 'quarantine-override';

/** The query string part for the override (empty when nothing is set), read from the fields. */
export function overrideQuery(): string {
  const set = document.getElementById(FIELDSET_ID);
  if (!set) return '';
  const p = new URLSearchParams();
  for (const el of Array.from(set.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select'))) {
    const v = el.value.trim();
    if (el.name && v !== '') p.set(el.name, v);
  }
  const s = p.toString();
  return s ? `&${s}` : '';
}

export function UploadOverrideFields() {
  return (
    <fieldset id={FIELDSET_ID} style={{ border: 0, padding: 0, margin: '0 0 1rem' }}>
      <legend style={{ fontWeight: 600, marginBottom: '0.4rem' }}>Quarantine override for this upload (optional)</legend>
      <label>
        allow_quarantine{' '}
        <select name="override_allow_quarantine" defaultValue="">
          <option value="">as configured</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      </label>{' '}
      <label>
        max_quarantine_pct <input name="override_max_quarantine_pct" size={6} placeholder="as configured" inputMode="decimal" />
      </label>{' '}
      <label>
        max_quarantine_count <input name="override_max_quarantine_count" size={8} placeholder="as configured" />
      </label>
      <p className="muted">Wins over the contract policy and the global setting for this upload&apos;s jobs; recorded and audited.</p>
    </fieldset>
  );
}
