/**
 * OIDC claims as Paddock principals: the user keyed by issuer and `sub` (the only pair the
 * spec promises is stable and unique), groups by the names the configured claim lists.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/principal.js';
import type { OidcProviderConfig } from './oidc-config.js';

export type Claims = Readonly<Record<string, unknown>>;

/** First 16 hex digits of SHA-256 of the issuer identifier. */
export function oidcIssuerHash(issuer: string): string {
  return createHash('sha256').update(issuer, 'utf8').digest('hex').slice(0, 16);
}

export function oidcUserPrincipalId(issuer: string, sub: string): string {
  return `oidc_user://${oidcIssuerHash(issuer)}/${sub}`;
}

/** The `sub` inside a user principal id of this issuer, or `undefined` for any other id. */
export function subOfPrincipalId(issuer: string, principalId: string): string | undefined {
  const prefix = `oidc_user://${oidcIssuerHash(issuer)}/`;
  return principalId.startsWith(prefix) ? principalId.slice(prefix.length) : undefined;
}

/** A claim by its literal name, else by a dotted path into nested objects. */
export function readClaim(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let current: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function stringClaim(claims: Claims, name: string): string | undefined {
  const value = readClaim(claims, name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Group names from a claim holding an array of strings or one string; others ignored. */
export function groupNames(claims: Claims, name: string): string[] {
  const value = readClaim(claims, name);
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const names = values.filter((v): v is string => typeof v === 'string' && v !== '');
  return [...new Set(names)];
}

export function oidcGroupPrincipal(name: string): Principal {
  return { id: `oidc_group://${name}`, provider: 'oidc', kind: 'group', name, displayName: name };
}

/**
 * The user principal; the username falls back to `sub` when the configured claim is missing,
 * since a login must not fail over a display detail.
 */
export function oidcUserPrincipal(
  issuer: string,
  sub: string,
  claims: Claims,
  names: OidcProviderConfig['claims'],
): Principal {
  const name = stringClaim(claims, names.username) ?? sub;
  const email = stringClaim(claims, names.email);
  return {
    id: oidcUserPrincipalId(issuer, sub),
    provider: 'oidc',
    kind: 'user',
    name,
    displayName: stringClaim(claims, names.displayName) ?? name,
    ...(email === undefined ? {} : { email }),
  };
}

/** ID token claims overlaid with the fresher userinfo claims, keeping the token's `sub`, `iss`, `aud`. */
export function mergeClaims(idClaims: Claims | undefined, userInfo: Claims | undefined): Claims {
  const { sub: _sub, iss: _iss, aud: _aud, ...fresh } = userInfo ?? {};
  return { ...idClaims, ...fresh };
}
