// Browser calls to the contracts API; an error answer becomes a thrown Error carrying the
// server's code and message (shown as is: the server never puts internals in them).
export class ContractApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export async function contractApi<T>(method: 'POST' | 'PUT', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
  if (!res.ok) throw new ContractApiError(json?.error?.code ?? 'http.error', json?.error?.message ?? `HTTP ${res.status}`, json?.error?.details);
  return json as T;
}
