/**
 * LDAP search filters built as RFC 4515 strings. Every value that comes from a user or from a
 * directory entry goes through `escapeFilterValue` exactly once, here and nowhere else; callers
 * pass raw values to the builders and never pre-escape. Configured filter fragments (from the
 * provider config) are trusted operator input and are only checked for balanced parentheses.
 */

/**
 * Escapes a value for the assertion part of a filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL
 * become `\2a`, `\28`, `\29`, `\5c`, `\00`. Other characters, including non-ASCII, are left as
 * UTF-8 text, which RFC 4515 allows and which ldapts' filter parser reads back unchanged (it
 * decodes `\XX` one byte per character, so escaping multi-byte UTF-8 would corrupt it).
 */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '*':
        out += '\\2a';
        break;
      case '(':
        out += '\\28';
        break;
      case ')':
        out += '\\29';
        break;
      case '\\':
        out += '\\5c';
        break;
      case '\0':
        out += '\\00';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;
const MATCHING_RULE = /^\d+(?:\.\d+)*$/;

/** Attribute names come from config, but a typo must not turn into filter syntax. */
function checkAttribute(attribute: string): string {
  if (!ATTRIBUTE_NAME.test(attribute)) {
    throw new TypeError(`not an LDAP attribute name: ${JSON.stringify(attribute)}`);
  }
  return attribute;
}

/** `(attribute=value)` with the value escaped. */
export function equals(attribute: string, value: string): string {
  return `(${checkAttribute(attribute)}=${escapeFilterValue(value)})`;
}

/** `(attribute=*value*)`: a substring match on an escaped value. */
export function contains(attribute: string, value: string): string {
  return `(${checkAttribute(attribute)}=*${escapeFilterValue(value)}*)`;
}

/** `(attribute=*)` */
export function present(attribute: string): string {
  return `(${checkAttribute(attribute)}=*)`;
}

/** `(attribute:rule:=value)`, e.g. AD's in-chain rule 1.2.840.113556.1.4.1941. */
export function extensibleMatch(attribute: string, rule: string, value: string): string {
  if (!MATCHING_RULE.test(rule)) throw new TypeError(`not a matching rule OID: ${rule}`);
  return `(${checkAttribute(attribute)}:${rule}:=${escapeFilterValue(value)})`;
}

/** `(&...)` of the non-empty parts; a single part is returned as is. */
export function and(...parts: ReadonlyArray<string | undefined>): string {
  const kept = parts.filter((p): p is string => p !== undefined && p !== '');
  if (kept.length === 1) return kept[0] as string;
  return `(&${kept.join('')})`;
}

/** `(|...)` of the non-empty parts; a single part is returned as is. */
export function or(...parts: ReadonlyArray<string | undefined>): string {
  const kept = parts.filter((p): p is string => p !== undefined && p !== '');
  if (kept.length === 1) return kept[0] as string;
  return `(|${kept.join('')})`;
}

/** `(!part)` */
export function not(part: string): string {
  return `(!${part})`;
}

/**
 * A filter fragment written by an operator in the provider config, e.g. `(memberOf=cn=staff,...)`
 * or `objectClass=person`. Wrapped in parentheses when bare; rejected when unbalanced so that it
 * cannot swallow the parts it is combined with.
 */
export function configuredFilter(fragment: string | undefined): string | undefined {
  const trimmed = fragment?.trim();
  if (!trimmed) return undefined;
  const wrapped = trimmed.startsWith('(') ? trimmed : `(${trimmed})`;
  let depth = 0;
  for (let i = 0; i < wrapped.length; i++) {
    const ch = wrapped[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0 || (depth === 0 && i < wrapped.length - 1)) {
      throw new TypeError(`unbalanced LDAP filter: ${fragment}`);
    }
  }
  if (depth !== 0) throw new TypeError(`unbalanced LDAP filter: ${fragment}`);
  return wrapped;
}
