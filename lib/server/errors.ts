// The JSON error shape { error: { code, message } } and the one status of each code. Kept apart from http.ts
// (logging, metrics) so that proxy.ts can answer in the same shape without loading either.
export const ERROR_STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  private_profile: 403,
  forbidden: 403,
  opted_out: 403,
  not_found: 404,
  user_not_found: 404,
  no_plays: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  upstream_unavailable: 503,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status: ERROR_STATUS[code], headers });
}
