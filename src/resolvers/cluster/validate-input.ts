/** Checks of mutation inputs made before anything is sent downstream. */
import { PaddockError } from '../../errors/index.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function invalid(field: string, message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${field}: ${message}`, {
    reason: 'invalid_input',
    details: { field },
  });
}

/** A namespace or service name (RFC 1123 label, at most 63 characters). */
export function dnsLabel(field: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw invalid(field, `${JSON.stringify(value)} must be a lowercase RFC 1123 label`);
  }
  return value;
}

/** An object name (RFC 1123 subdomain, at most 253 characters). */
export function objectName(field: string, value: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw invalid(field, `${JSON.stringify(value)} must be a lowercase RFC 1123 subdomain`);
  }
  return value;
}

/** A JSON object whose values are all strings (labels, selectors, config data). */
export function stringMap(field: string, value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object');
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid(`${field}.${k}`, 'must be a string');
  }
  return value as Record<string, string>;
}

export function nonNegativeInt(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw invalid(field, 'must be a non-negative integer');
  return value;
}
