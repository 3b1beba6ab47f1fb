/**
 * Checks values against a chart's `values.schema.json` before anything is sent to a cluster,
 * as Helm does after coalescing the chart's defaults with the caller's values. Compiled schemas
 * are kept by content, so a chart's schema is compiled once.
 */
import { createHash } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import { PaddockError } from '../../errors/index.js';

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const compiled = new Map<string, ValidateFunction>();

/** Throws VALIDATION_FAILED listing each value the schema refuses. */
export function checkValuesAgainstSchema(schema: unknown, values: unknown, chart: string): void {
  if (schema === undefined) return;
  const text = JSON.stringify(schema);
  const key = createHash('sha256').update(text).digest('hex');
  let validate = compiled.get(key);
  if (validate === undefined) {
    try {
      // `$schema` drafts other than the one Ajv speaks are read as draft-07, as Helm's library does.
      const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
      validate = ajv.compile(rest);
    } catch (err) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `chart ${chart} has a values.schema.json that does not compile: ${err instanceof Error ? err.message : String(err)}`,
        { reason: 'chart_schema_invalid' },
      );
    }
    if (compiled.size > 200) compiled.clear();
    compiled.set(key, validate);
  }
  if (validate(values)) return;
  const problems = (validate.errors ?? []).map((e) => {
    const path = e.instancePath === '' ? '(root)' : e.instancePath.slice(1).replaceAll('/', '.');
    return `${path}: ${e.message ?? 'is invalid'}`;
  });
  throw new PaddockError(
    'VALIDATION_FAILED',
    `values do not match the schema of chart ${chart}: ${problems.join('; ')}`,
    { reason: 'values_schema_mismatch', details: { field: 'values', problems } },
  );
}
