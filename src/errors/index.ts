export { httpStatusOf } from './http-status.js';
export type { PaddockErrorCode, PaddockErrorOptions } from './paddock-error.js';
export { hasErrorCode, isPaddockError, PaddockError } from './paddock-error.js';
export { UnreachableCaseError } from './unreachable-case-error.js';
