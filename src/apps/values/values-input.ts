/**
 * Chart values as the caller gives them (YAML text or a JSON object) and as Helm combines them
 * with the chart's defaults: maps merge key by key, anything else replaces, and `null` removes
 * a default (Helm's `coalesce`).
 */
import { parse as parseYaml } from 'yaml';
import type { ValuesInput } from '../../domain/apps.js';
import { PaddockError } from '../../errors/index.js';

export type Values = Record<string, unknown>;

const MAX_VALUES_BYTES = 512 * 1024;

export function isValuesMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalidValues(message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `values: ${message}`, {
    reason: 'invalid_values',
    details: { field: 'values' },
  });
}

/** The caller's values as a map (empty when none were given). */
export function parseValuesInput(input: ValuesInput | undefined): Values {
  if (input === undefined) return {};
  if (input.yaml !== undefined && input.json !== undefined) {
    throw invalidValues('give them as YAML or as JSON, not both');
  }
  let parsed: unknown;
  if (input.yaml !== undefined) {
    if (Buffer.byteLength(input.yaml) > MAX_VALUES_BYTES)
      throw invalidValues('larger than 512 KiB');
    try {
      parsed = input.yaml.trim() === '' ? {} : parseYaml(input.yaml, { maxAliasCount: 100 });
    } catch (err) {
      throw invalidValues(`not YAML: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    parsed = input.json ?? {};
    if (Buffer.byteLength(JSON.stringify(parsed)) > MAX_VALUES_BYTES) {
      throw invalidValues('larger than 512 KiB');
    }
  }
  if (parsed === null) return {};
  if (!isValuesMap(parsed)) throw invalidValues('must be a map of keys to values');
  return parsed;
}

/** `over` on top of `base`, as Helm coalesces user values over chart defaults. */
export function coalesceValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const under = out[key];
    out[key] = isValuesMap(value) && isValuesMap(under) ? coalesceValues(under, value) : value;
  }
  return out;
}

/** Deep-merges without Helm's null deletion (a target's overrides over the app's values). */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    out[key] = isValuesMap(value) && isValuesMap(under) ? mergeValues(under, value) : value;
  }
  return out;
}
