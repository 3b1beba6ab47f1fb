import type { Entry } from 'ldapts';

/**
 * Reading attributes of ldapts entries. Servers return attribute names in their own case
 * (`objectGUID`, `memberOf`), so lookups here are case-insensitive.
 */

function rawValue(entry: Entry, name: string): Entry[string] | undefined {
  if (name in entry) return entry[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(entry)) {
    if (key.toLowerCase() === lower) return entry[key];
  }
  return undefined;
}

/** Every value of an attribute as text (empty when absent). */
export function attributeValues(entry: Entry, name: string): string[] {
  const value = rawValue(entry, name);
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

/** The first value of an attribute as text. */
export function firstValue(entry: Entry, name: string): string | undefined {
  return attributeValues(entry, name)[0];
}

/** The first value of a binary attribute (asked for through `explicitBufferAttributes`). */
export function firstBuffer(entry: Entry, name: string): Buffer | undefined {
  const value = rawValue(entry, name);
  const first = Array.isArray(value) ? value[0] : value;
  return Buffer.isBuffer(first) ? first : undefined;
}

/** DNs compare case-insensitively and without spaces around separators in practice. */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => rdn.trim().toLowerCase())
    .join(',');
}
