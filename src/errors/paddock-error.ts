/** Every error Paddock raises on purpose carries one of these codes. */
export type PaddockErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'GONE'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_RESET'
  | 'STORE_UNAVAILABLE'
  | 'CONFIG_INVALID'
  | 'INTERNAL';

export interface PaddockErrorOptions {
  /** A machine-readable sub-reason, e.g. `token_expired` for UNAUTHENTICATED. */
  reason?: string;
  /** Extra fields safe to show to the caller. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one base error; `code` decides the HTTP status and GraphQL `extensions.code`. */
export class PaddockError extends Error {
  readonly code: PaddockErrorCode;
  readonly reason: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: PaddockErrorCode, message: string, options: PaddockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PaddockError';
    this.code = code;
    this.reason = options.reason;
    this.details = options.details;
  }
}

export function isPaddockError(value: unknown): value is PaddockError {
  return value instanceof PaddockError;
}

/** Checks a PaddockError's code, e.g. `hasErrorCode(err, 'CONFLICT')`. */
export function hasErrorCode(value: unknown, code: PaddockErrorCode): value is PaddockError {
  return isPaddockError(value) && value.code === code;
}
