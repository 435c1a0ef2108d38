// Browser calls to /api/bench: an error answer becomes a thrown Error with the server's code and message.
export class BenchApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function benchApi<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new BenchApiError(json?.error?.code ?? 'http.error', json?.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  return typeof v === 'string' ? v : String(v);
}
