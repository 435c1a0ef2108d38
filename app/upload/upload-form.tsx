'use client';
// Drag-and-drop upload. The file goes as the raw request body (XMLHttpRequest, for upload
// progress events), then each job it started is polled until it finishes.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { overrideQuery, UploadOverrideFields } from '../quarantine/settings/upload-override-fields'; // G (issue 6)
import type { BreakPassView } from '../../lib/server/jobs/break-pass-progress';
import type { JobQueueView } from '../../lib/server/jobs/job-views';
import { describeBreakPass, describeQueue, FINAL_STATUSES, formatDuration, soonestPollMs } from '../jobs/job-format';

type Kind = 'fix' | 'confirmations';

interface JobView {
  id: string;
  status: string;
  progress?: { bytes?: number; totalBytes?: number; total_bytes?: number; rows?: number; rowsPerSec?: number; rows_per_sec?: number } | null;
  error?: { code?: string; message?: string } | string | null;
  queue?: JobQueueView | null;
  break_detection?: { state: string; ms: number | null; error: string | null; pass?: BreakPassView | null } | null;
}


function guessKind(name: string): Kind | null {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  if (n.endsWith('.csv')) return 'confirmations';
  if (n.endsWith('.log') || n.endsWith('.fix') || n.endsWith('.txt')) return 'fix';
  return null;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export function UploadForm({ maxBytes, canOverride = false, canReadBreaks = false }: { maxBytes: number; canOverride?: boolean; canReadBreaks?: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<Kind>('fix');
  const [dragging, setDragging] = useState(false);
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ upload_id: string; sha256: string; job_ids: string[]; duplicate_of?: string | null } | null>(null);
  const [jobs, setJobs] = useState<Record<string, JobView>>({});
  const [busy, setBusy] = useState(false);
  // True once React has hydrated the form (handlers attached): browser tests wait for it.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const input = useRef<HTMLInputElement>(null);

  function choose(f: File | undefined | null) {
    if (!f) return;
    setFile(f);
    setError(null);
    setResult(null);
    setJobs({});
    setSent(null);
    const guessed = guessKind(f.name);
    if (guessed) setKind(guessed);
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files?.[0]);
  }

  function upload() {
    if (!file) return;
    if (file.size > maxBytes) {
      setError(`The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`);
      return;
    }
    setBusy(true);
    setError(null);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/uploads?kind=${kind}&filename=${encodeURIComponent(file.name)}${canOverride ? overrideQuery() : ''}`); // G: override
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => setSent({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      setBusy(false);
      let body: { error?: { code?: string; message?: string } } & Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* non-JSON answer: reported below by status */
      }
      if (xhr.status === 201) {
        setSent({ loaded: file.size, total: file.size });
        setResult(body as never);
      } else {
        setError(body.error ? `${body.error.message ?? 'Upload refused.'} (${body.error.code})` : `Upload failed (HTTP ${xhr.status}).`);
      }
    };
    xhr.onerror = () => {
      setBusy(false);
      setError('The connection failed during the upload.');
    };
    xhr.send(file);
  }

  // Poll each job until it reaches a final status (or waits for a contract), then, every 2 s,
  // until its break-detection pass is done.
  useEffect(() => {
    if (!result || result.job_ids.length === 0) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll() {
      const views = await Promise.all(
        result!.job_ids.map(async (id) => {
          const res = await fetch(`/api/jobs/${encodeURIComponent(id)}`, { cache: 'no-store' }).catch(() => null);
          if (!res || !res.ok) return { id, status: 'UNKNOWN' } as JobView;
          return (await res.json()) as JobView;
        }),
      );
      if (stopped) return;
      setJobs(Object.fromEntries(views.map((v) => [v.id, v])));
      const next = soonestPollMs(views);
      if (next !== null) timer = setTimeout(poll, next);
    }
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [result]);

  return (
    <div className="panel" data-testid="upload-form" data-ready={ready ? 'true' : 'false'}>
      <fieldset style={{ border: 0, padding: 0, margin: '0 0 1rem' }}>
        <legend style={{ fontWeight: 600, marginBottom: '0.4rem' }}>File kind</legend>
        <label style={{ flexDirection: 'row', gap: '0.4rem', display: 'inline-flex', marginRight: '1.5rem' }}>
          <input type="radio" name="kind" value="fix" checked={kind === 'fix'} onChange={() => setKind('fix')} /> FIX log
        </label>
        <label style={{ flexDirection: 'row', gap: '0.4rem', display: 'inline-flex' }}>
          <input type="radio" name="kind" value="confirmations" checked={kind === 'confirmations'} onChange={() => setKind('confirmations')} />
          Confirmations (CSV)
        </label>
      </fieldset>
      {canOverride && <UploadOverrideFields />}

      <div
        className={`dropzone${dragging ? ' active' : ''}`}
        role="button"
        tabIndex={0}
        aria-label="Drop a file here or choose one"
        onClick={() => input.current?.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {file ? (
          <>
            <strong>{file.name}</strong> <span className="muted">({formatBytes(file.size)})</span>
          </>
        ) : (
          <>Drop a FIX log or a confirmations CSV here (.gz accepted), or click to choose a file.</>
        )}
        <input ref={input} type="file" data-testid="file-input" hidden onChange={(e) => choose(e.target.files?.[0])} />
      </div>

      <p>
        <button className="primary" type="button" onClick={upload} disabled={!file || busy}>
          Upload
        </button>
      </p>

      {sent && (
        <div>
          <label>
            Transfer: {formatBytes(sent.loaded)} of {formatBytes(sent.total)}
            <progress aria-label="Transfer progress" max={sent.total || 1} value={sent.loaded} />
          </label>
        </div>
      )}

      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}

      {result && (
        <div data-testid="upload-result">
          <p>
            Stored as <code>{result.sha256}</code>
            {result.duplicate_of ? ' (same bytes as an earlier upload: its jobs are shown)' : ''}.
          </p>
          {result.job_ids.map((id) => (
            <JobProgressView key={id} id={id} job={jobs[id]} canReadBreaks={canReadBreaks} />
          ))}
        </div>
      )}
    </div>
  );
}

function JobProgressView({ id, job, canReadBreaks }: { id: string; job: JobView | undefined; canReadBreaks: boolean }) {
  const b = job?.break_detection ?? null;
  const status = job?.status ?? 'QUEUED';
  const p = job?.progress ?? null;
  const total = p ? (p.totalBytes ?? p.total_bytes ?? 0) : 0;
  const final = FINAL_STATUSES.has(status);
  const errorText = job?.error ? (typeof job.error === 'string' ? job.error : `${job.error.message ?? ''} (${job.error.code ?? ''})`) : null;
  return (
    <div style={{ marginTop: '0.75rem' }}>
      <label>
        <span>
          Job <a href={`/jobs/${encodeURIComponent(id)}`}>{id.slice(0, 8)}</a>:{' '}
          <span data-testid="job-status" className={status === 'FAILED' ? 'status-bad' : final ? 'status-ok' : 'muted'}>
            {status}
          </span>
          {p?.rows !== undefined && <span className="muted"> · {p.rows} rows</span>}
          {!final && (p?.rows_per_sec ?? p?.rowsPerSec) ? <span className="muted"> · {p?.rows_per_sec ?? p?.rowsPerSec} rows/s</span> : null}
        </span>
        {final ? (
          <progress aria-label="Job progress" max={1} value={1} />
        ) : total > 0 && p?.bytes !== undefined ? (
          <progress aria-label="Job progress" max={total} value={p.bytes} />
        ) : (
          <progress aria-label="Job progress" />
        )}
      </label>
      {status === 'QUEUED' && job?.queue && <p className="muted">Queued: {describeQueue(job.queue)}</p>}
      {b && (
        <p className={b.state === 'failed' ? 'error' : 'muted'} data-testid="upload-job-breaks">
          {b.state === 'waiting' && <>Breaks: detecting{b.pass ? `, ${describeBreakPass(b.pass)}` : ''}</>}
          {b.state === 'done' && (
            <>
              Breaks detected{b.ms !== null ? ` in ${formatDuration(b.ms)}` : ''}
              {canReadBreaks && (
                <>
                  {' '}
                  · <a href="/breaks">Open the breaks</a>
                </>
              )}
            </>
          )}
          {b.state === 'failed' && <>Break detection failed ({b.error}); the job page has the details.</>}
        </p>
      )}
      {status === 'AWAITING_CONTRACT' && <p className="muted">Waiting for an approved contract for one of its outputs.</p>}
      {errorText && <p className="error">{errorText}</p>}
    </div>
  );
}
