// One message's raw bytes, read from the uploaded file by offset and length, field by field
// (tag, tag name, value, enum meaning), with its lineage. Collapsed by default (<details>).
import type { TimelineEntry } from '../../../lib/server/breaks/breaks-service';

function s(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

export function RawMessage({ message: m, source }: { message: TimelineEntry; source: { name: string | null; sha256: string } | null }) {
  const label = `message ${s(m.message_index)}`;
  return (
    <details className="raw-message">
      <summary>Raw {label}</summary>
      {m.raw ? (
        m.raw.fields.length > 0 ? (
          <table aria-label={`Raw fields of ${label}`}>
            <thead>
              <tr>
                <th className="num">Tag</th>
                <th>Name</th>
                <th>Value</th>
                <th>Meaning</th>
              </tr>
            </thead>
            <tbody>
              {m.raw.fields.map((f, i) => (
                <tr key={i}>
                  <td className="num mono">{f.tag}</td>
                  <td>{f.name ?? <span className="muted">unknown</span>}</td>
                  <td className="mono">{f.value}</td>
                  <td>{f.meaning ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <pre className="raw-text">{m.raw.text}</pre>
        )
      ) : (
        <p className="muted">The raw bytes are not available (the upload is gone or the span is not recorded).</p>
      )}
      <table aria-label={`Lineage of ${label}`}>
        <tbody>
          <tr>
            <th scope="row">File</th>
            <td>{source?.name ?? <span className="muted">unknown</span>}</td>
          </tr>
          <tr>
            <th scope="row">SHA-256</th>
            <td className="mono">{s(m.source_hash) || source?.sha256 || ''}</td>
          </tr>
          <tr>
            <th scope="row">Job</th>
            <td className="mono">
              <a href={`/jobs/${encodeURIComponent(s(m.job_id))}`}>{s(m.job_id)}</a>
            </td>
          </tr>
          <tr>
            <th scope="row">Parser version</th>
            <td className="mono">{s(m.parser_version)}</td>
          </tr>
          <tr>
            <th scope="row">Contract hash</th>
            <td className="mono">{s(m.contract_hash)}</td>
          </tr>
          <tr>
            <th scope="row">Line</th>
            <td className="mono">{s(m.line_number)}</td>
          </tr>
          <tr>
            <th scope="row">Offset / length</th>
            <td className="mono">
              {s(m.source_offset)} / {s(m.source_length)}
            </td>
          </tr>
        </tbody>
      </table>
    </details>
  );
}
