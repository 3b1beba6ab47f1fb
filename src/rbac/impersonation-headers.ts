/**
 * How a Paddock caller is presented to a downstream cluster: the impersonator's bearer token,
 * `Impersonate-User: <userId>`, one `Impersonate-Group` line per group principal plus
 * `system:authenticated`, and `Impersonate-Extra-*` for the principal ids and username. The
 * proxy and the GraphQL layer's calls as the caller both use this one function, so the same
 * downstream RBAC decides both; the pushed-down bindings name exactly these subjects.
 */
import { EXTRA_PRINCIPAL_ID, EXTRA_USERNAME } from '../domain/cluster.js';
import type { Identity } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';

/** Header name (lowercase) → value; arrays become one header line per element. */
export type ImpersonationHeaders = Record<string, string | string[]>;

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

/** The impersonation lines for one caller, plus the impersonator's own bearer token. */
export function impersonationHeaders(
  identity: Identity,
  impersonatorToken: string,
): ImpersonationHeaders {
  const groups = [...new Set([...identity.groupPrincipalIds, 'system:authenticated'])];
  const ownPrincipals = identity.principalIds.filter(
    (p) => !identity.groupPrincipalIds.includes(p),
  );
  const headers: ImpersonationHeaders = {
    authorization: `Bearer ${impersonatorToken}`,
    'impersonate-user': headerValue(identity.userId),
    'impersonate-group': groups.map(headerValue),
  };
  if (ownPrincipals.length > 0) {
    headers[extraHeaderName(EXTRA_PRINCIPAL_ID)] = ownPrincipals.map(headerValue);
  }
  headers[extraHeaderName(EXTRA_USERNAME)] = headerValue(identity.username);
  return headers;
}

/**
 * Header values go out as bytes; UTF-8 names are passed as their bytes (what Go reads back).
 * A control character cannot be sent faithfully, and changing a group name would change what
 * it grants, so such a principal refuses the request.
 */
function headerValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(value) || value === '') {
    throw new PaddockError('INTERNAL', 'a principal cannot be sent as a header value', {
      reason: 'unrepresentable_principal',
    });
  }
  return Buffer.from(value, 'utf8').toString('latin1');
}
