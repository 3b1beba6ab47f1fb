/** The one shape of a refused input in alerting and logging: VALIDATION_FAILED naming the field. */
import { PaddockError } from '../errors/index.js';

export function invalid(field: string, message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${field}: ${message}`, {
    reason: 'invalid_input',
    details: { field },
  });
}
