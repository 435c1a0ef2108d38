'use client';
// The bench: parser and file selection, then the preview of every output of the file.
import { useCallback, useEffect, useState } from 'react';
import type { BenchContractVersion, BenchParser, BenchPreview, BenchUpload } from '../../lib/server/bench/bench-service';
import type { SchemaDiff } from '../../lib/pipeline/schema-diff';
import { benchApi, cellText } from './bench-api';
import { BenchRuns } from './bench-runs';

function DiffList({ title, diff }: { title: string; diff: SchemaDiff | null }) {
  if (!diff) return <p className="muted">{title}: no approved contract.</p>;
  const items = [
    ...diff.missing.map((m) => `missing ${m.name} (${m.type})${m.optional ? ', optional' : ''}`),
    ...diff.extra.map((e) => `extra ${e.name} (${e.type})${e.allowed ? ', allowed' : ', not allowed'}`),
    ...diff.type_mismatches.map((t) => `type ${t.name}: expected ${t.expected}, observed ${t.observed} — ${t.reason}`),
    ...diff.nullability_mismatches.map((n) => `nulls in ${n.name}, which is not nullable`),
  ];
  return (
    <div className="bench-diff">
      <strong>{title}</strong>: {diff.ok ? <span className="status-ok">matches</span> : <span className={diff.blocking ? 'status-bad' : 'status-warn'}>{diff.blocking ? 'type mismatch' : 'differs'}</span>}
      {items.length > 0 && (
        <ul>
          {items.map((t, i) => (
            <li key={i}>{t}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function OutputPreviewPanel({ o }: { o: BenchPreview['outputs'][number] }) {
  return (
    <section className="panel" data-testid={`bench-output-${o.output}`}>
      <h3>
        {o.output} — {o.rows.length} rows shown
        {o.contract ? ` (approved contract v${o.contract.version})` : ''}
      </h3>
      <DiffList title="Observed vs intent" diff={o.diff_intent} />
      <DiffList title="Observed vs approved contract" diff={o.diff_contract} />
      <details>
        <summary>Observed schema ({o.observed.columns.length} columns)</summary>
        <table className="bench-table">
          <thead>
            <tr>
              <th>column</th>
              <th>type</th>
              <th>format</th>
              <th>null ratio</th>
              <th>samples</th>
            </tr>
          </thead>
          <tbody>
            {o.observed.columns.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.type}</td>
                <td>{c.format ?? ''}</td>
                <td>{c.null_ratio.toFixed(2)}</td>
                <td>{c.samples.slice(0, 3).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {o.rows.length > 0 && (
        <div className="bench-table-wrap">
          <table className="bench-table">
            <thead>
              <tr>
                {o.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {o.rows.map((r, i) => (
                <tr key={i}>
                  {o.columns.map((c) => (
                    <td key={c}>{cellText(r[c])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function BenchClient({ parsers, initialParser }: { parsers: BenchParser[]; initialParser: string }) {
  const [parserId, setParserId] = useState(initialParser);
  const [uploads, setUploads] = useState<BenchUpload[]>([]);
  const [contracts, setContracts] = useState<BenchContractVersion[]>([]);
  const [uploadId, setUploadId] = useState('');
  const [rows, setRows] = useState(50);
  const [preview, setPreview] = useState<BenchPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadUploads = useCallback(async (id: string) => {
    setError(null);
    setPreview(null);
    try {
      const r = await benchApi<{ uploads: BenchUpload[]; contracts: BenchContractVersion[] }>('GET', `/api/bench/uploads?parser_id=${encodeURIComponent(id)}`);
      setUploads(r.uploads);
      setContracts(r.contracts);
      setUploadId(r.uploads[0]?.id ?? '');
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    if (parserId) void loadUploads(parserId);
  }, [parserId, loadUploads]);

  async function runPreview() {
    setBusy(true);
    setError(null);
    try {
      setPreview(await benchApi<BenchPreview>('GET', `/api/bench/preview?parser_id=${encodeURIComponent(parserId)}&upload_id=${encodeURIComponent(uploadId)}&rows=${rows}`));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section className="panel bench-controls">
        <label>
          Parser{' '}
          <select value={parserId} onChange={(e) => setParserId(e.target.value)} data-testid="bench-parser">
            {parsers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id} {p.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          File{' '}
          <select value={uploadId} onChange={(e) => setUploadId(e.target.value)} data-testid="bench-upload">
            {uploads.length === 0 && <option value="">no uploaded file of this kind</option>}
            {uploads.map((u) => (
              <option key={u.id} value={u.id}>
                {u.original_name} ({u.size_bytes} bytes, {u.uploaded_at.slice(0, 16)}, last job {u.last_job_status ?? 'none'})
              </option>
            ))}
          </select>
        </label>
        <label>
          Rows{' '}
          <input type="number" min={1} max={1000} value={rows} onChange={(e) => setRows(Number(e.target.value) || 50)} />
        </label>
        <button type="button" onClick={runPreview} disabled={busy || !uploadId}>
          {busy ? 'Parsing…' : 'Preview'}
        </button>
      </section>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <>
          <p className="muted">
            Read {preview.bytes_read} bytes{preview.truncated ? ' (stopped early: row or byte cap)' : ' (the whole file)'}; {preview.parse_error_count} parse errors.
          </p>
          {preview.outputs.map((o) => (
            <OutputPreviewPanel key={o.output} o={o} />
          ))}
          {preview.parse_errors.length > 0 && (
            <section className="panel">
              <h3>Parse errors (first {preview.parse_errors.length})</h3>
              <table className="bench-table">
                <thead>
                  <tr>
                    <th>line</th>
                    <th>code</th>
                    <th>message</th>
                    <th>raw</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.parse_errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.line_number}</td>
                      <td>{e.code}</td>
                      <td>{e.message}</td>
                      <td>{e.raw.slice(0, 120)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
      <BenchRuns uploadId={uploadId} contracts={contracts} />
    </>
  );
}
