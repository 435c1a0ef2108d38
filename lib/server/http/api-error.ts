// The one error type the HTTP edge answers with. `code` is stable (clients and tests key on it),
// `message` is written for a person and never carries a stack or an internal error's text.

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Optional machine-readable details (e.g. zod issues); must not hold secrets or stacks. */
    readonly details?: unknown,
    /** Response headers the answer carries (e.g. Retry-After). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
