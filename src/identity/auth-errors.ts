/** The one way identity says "not authenticated": a 401 with a machine-readable reason. */
import { PaddockError } from '../errors/index.js';

export function unauthenticated(reason: string, message: string, cause?: unknown): PaddockError {
  return new PaddockError('UNAUTHENTICATED', message, { reason, cause });
}
