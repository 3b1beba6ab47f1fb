/**
 * Settings of user-configured integrations (notifiers, logging targets) described per kind as
 * field specs, and the one check of an input against them: unknown fields, wrong types and
 * missing required values are refused by name. Shared by the alerting and logging adapters.
 */
import { PaddockError } from '../errors/index.js';

export type FieldSpec =
  | { readonly type: 'string'; readonly required?: boolean; readonly pattern?: RegExp }
  | { readonly type: 'strings'; readonly required?: boolean }
  | {
      readonly type: 'number';
      readonly required?: boolean;
      readonly min?: number;
      readonly max?: number;
    }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly required?: boolean };

export type SecretSpecs = Readonly<Record<string, { readonly required: boolean }>>;

/** VALIDATION_FAILED naming the field. */
export function invalid(field: string, message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${field}: ${message}`, {
    reason: 'invalid_input',
    details: { field },
  });
}

export type SettingValue = string | number | boolean | readonly string[];

export function validateSettings(
  specs: Readonly<Record<string, FieldSpec>>,
  input: Readonly<Record<string, unknown>>,
): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const key of Object.keys(input)) {
    if (!(key in specs)) throw invalid(`settings.${key}`, 'is not a setting of this kind');
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = input[key];
    const field = `settings.${key}`;
    if (value === undefined || value === null || value === '') {
      if ('required' in spec && spec.required) throw invalid(field, 'is required');
      continue;
    }
    switch (spec.type) {
      case 'string':
        if (typeof value !== 'string') throw invalid(field, 'must be a string');
        if (value.length > 65_536) throw invalid(field, 'is too long');
        if (spec.pattern && !spec.pattern.test(value))
          throw invalid(field, `${JSON.stringify(value.slice(0, 80))} is not valid`);
        out[key] = value;
        break;
      case 'strings':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
          throw invalid(field, 'must be a list of non-empty strings');
        if (spec.required && value.length === 0) throw invalid(field, 'needs at least one value');
        out[key] = value as string[];
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isInteger(value))
          throw invalid(field, 'must be an integer');
        if (
          (spec.min !== undefined && value < spec.min) ||
          (spec.max !== undefined && value > spec.max)
        )
          throw invalid(field, `must be between ${spec.min} and ${spec.max}`);
        out[key] = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
        out[key] = value;
        break;
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value))
          throw invalid(field, `must be one of ${spec.values.join(', ')}`);
        out[key] = value;
        break;
    }
  }
  return out;
}

/** Checks secret field names; returns only non-empty values (empty = keep the stored one). */
export function validateSecrets(
  specs: SecretSpecs,
  input: Readonly<Record<string, string>> | undefined,
  stored: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input ?? {})) {
    if (!(key in specs)) throw invalid(`secrets.${key}`, 'is not a secret of this kind');
    if (typeof value !== 'string') throw invalid(`secrets.${key}`, 'must be a string');
    if (value.length > 8_192) throw invalid(`secrets.${key}`, 'is too long');
    if (value !== '') out[key] = value;
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.required && out[key] === undefined && !stored.has(key))
      throw invalid(`secrets.${key}`, 'is required');
  }
  return out;
}
