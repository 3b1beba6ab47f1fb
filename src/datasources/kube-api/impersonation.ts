/**
 * The impersonation lines of a call made as the caller: exactly what the proxy sets
 * (`src/authproxy/header-policy.ts`), so a GraphQL read and a kubectl read through the proxy
 * are decided by the same downstream RBAC. Kept here because adapters may not import entry
 * points; the unit tests pin both to the same output.
 */
import { EXTRA_PRINCIPAL_ID, EXTRA_USERNAME } from '../../domain/cluster.js';
import type { Identity } from '../../domain/identity.js';
import { PaddockError } from '../../errors/index.js';

/** Lowercase header name → value; arrays become one header line per element. */
export type HeaderLines = Record<string, string | string[]>;

/** `Impersonate-Extra-` header name for an extra key: lowercase, percent-encoded. */
export function extraHeaderName(key: string): string {
  const encoded = [...Buffer.from(key.toLowerCase(), 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[a-z0-9.\-_]/.test(c) ? c : `%${b.toString(16).padStart(2, '0')}`;
    })
    .join('');
  return `impersonate-extra-${encoded}`;
}

/** The bearer token of the impersonator plus the caller's impersonation lines. */
export function callerHeaders(identity: Identity, impersonatorToken: string): HeaderLines {
  const groups = [...new Set([...identity.groupPrincipalIds, 'system:authenticated'])];
  const own = identity.principalIds.filter((p) => !identity.groupPrincipalIds.includes(p));
  const headers: HeaderLines = {
    authorization: `Bearer ${impersonatorToken}`,
    'impersonate-user': headerValue(identity.userId),
    'impersonate-group': groups.map(headerValue),
  };
  if (own.length > 0) headers[extraHeaderName(EXTRA_PRINCIPAL_ID)] = own.map(headerValue);
  headers[extraHeaderName(EXTRA_USERNAME)] = headerValue(identity.username);
  return headers;
}

// A principal with a control character cannot be sent faithfully, and altering it would
// change what it grants, so such a caller is refused rather than approximated.
function headerValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(value) || value === '') {
    throw new PaddockError('INTERNAL', 'a principal cannot be sent as a header value', {
      reason: 'unrepresentable_principal',
    });
  }
  return Buffer.from(value, 'utf8').toString('latin1');
}
