import type { PaddockErrorCode } from './paddock-error.js';
import { UnreachableCaseError } from './unreachable-case-error.js';

/** The single mapping from an error code to an HTTP status. */
export function httpStatusOf(code: PaddockErrorCode): number {
  switch (code) {
    case 'BAD_REQUEST':
    case 'VALIDATION_FAILED':
    case 'CONFIG_INVALID':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'METHOD_NOT_ALLOWED':
      return 405;
    case 'CONFLICT':
      return 409;
    case 'GONE':
      return 410;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'TOO_MANY_REQUESTS':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'UPSTREAM_RESET':
      return 502;
    case 'UPSTREAM_UNAVAILABLE':
    case 'STORE_UNAVAILABLE':
      return 503;
    case 'UPSTREAM_TIMEOUT':
      return 504;
    default:
      throw new UnreachableCaseError(code);
  }
}
