/** The one shape of a refused input: VALIDATION_FAILED naming the field. */
export { invalid } from '../domain/field-specs.js';
