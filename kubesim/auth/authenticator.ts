// Bearer-token authentication: static tokens (admin, users, service accounts) and the cluster's
// service-account JWTs (legacy secret tokens and bound TokenRequest tokens). A bad token is
// always 401; a missing one is anonymous only where the cluster allows it.

import type { ObjectStore } from '../storage/object-store.js';
import { asObject, asString } from '../storage/types.js';
import { API_AUDIENCE, LEGACY_ISSUER, type TokenSigner } from './service-account-tokens.js';
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS,
  serviceAccountGroups,
  serviceAccountUsername,
  type UserInfo,
} from './user.js';

export type AuthnResult =
  | { kind: 'user'; user: UserInfo }
  | { kind: 'anonymous'; user: UserInfo }
  | { kind: 'none' }
  | { kind: 'invalid' };

export interface AuthenticatorDeps {
  staticTokens: Map<string, UserInfo>;
  signer: TokenSigner;
  store: ObjectStore;
  now: () => Date;
}

export function anonymousUser(): UserInfo {
  return { username: ANONYMOUS, groups: [ALL_UNAUTHENTICATED], extra: {} };
}

function withAuthenticated(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

/** Validates a service-account JWT against live objects, as the apiserver's token authenticator. */
export function authenticateServiceAccountToken(
  deps: AuthenticatorDeps,
  token: string,
  audiences: string[] = [API_AUDIENCE],
): UserInfo | undefined {
  const claims = deps.signer.verify(token);
  if (!claims) return undefined;
  if (claims.iss === LEGACY_ISSUER) {
    const ns = asString(claims['kubernetes.io/serviceaccount/namespace']);
    const sa = asString(claims['kubernetes.io/serviceaccount/service-account.name']);
    const uid = asString(claims['kubernetes.io/serviceaccount/service-account.uid']);
    const secretName = asString(claims['kubernetes.io/serviceaccount/secret.name']);
    const secret = deps.store.get('secrets', ns, secretName);
    if (!secret || secret.metadata.deletionTimestamp) return undefined;
    const stored = asString(asObject(secret.data).token);
    if (!stored || Buffer.from(stored, 'base64').toString('utf8') !== token) return undefined;
    const account = deps.store.get('serviceaccounts', ns, sa);
    if (!account || account.metadata.uid !== uid) return undefined;
    return {
      username: serviceAccountUsername(ns, sa),
      uid,
      groups: [...serviceAccountGroups(ns), ALL_AUTHENTICATED],
      extra: {},
    };
  }
  const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [asString(claims.aud)];
  if (!aud.some((a) => audiences.includes(a))) return undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  if (exp * 1000 <= deps.now().getTime()) return undefined;
  const k8s = asObject(claims['kubernetes.io']);
  const ns = asString(k8s.namespace);
  const sa = asObject(k8s.serviceaccount);
  const name = asString(sa.name);
  const uid = asString(sa.uid);
  const account = deps.store.get('serviceaccounts', ns, name);
  if (!account || account.metadata.uid !== uid) return undefined;
  const extra: Record<string, string[]> = {};
  const pod = asObject(k8s.pod);
  if (pod.name) {
    if (!deps.store.get('pods', ns, asString(pod.name))) return undefined;
    extra['authentication.kubernetes.io/pod-name'] = [asString(pod.name)];
    extra['authentication.kubernetes.io/pod-uid'] = [asString(pod.uid)];
  }
  if (typeof claims.jti === 'string') {
    extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  }
  return {
    username: serviceAccountUsername(ns, name),
    uid,
    groups: [...serviceAccountGroups(ns), ALL_AUTHENTICATED],
    extra,
  };
}

/** Authenticates the Authorization header of a request. */
export function authenticate(
  deps: AuthenticatorDeps,
  authorization: string | undefined,
): AuthnResult {
  if (!authorization) return { kind: 'none' };
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m?.[1]) return { kind: 'invalid' };
  const token = m[1];
  const fixed = deps.staticTokens.get(token);
  if (fixed) return { kind: 'user', user: withAuthenticated(fixed) };
  const sa = authenticateServiceAccountToken(deps, token);
  if (sa) return { kind: 'user', user: sa };
  return { kind: 'invalid' };
}
