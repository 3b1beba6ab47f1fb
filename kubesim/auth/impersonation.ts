// Impersonation as apiserver's WithImpersonation filter: Impersonate-User (first line),
// every Impersonate-Group line as one group (never split on commas), Impersonate-Extra-<key>
// (lowercased, percent-decoded), Impersonate-Uid; each checked with the "impersonate" verb for
// the caller, in that order; system:authenticated added unless a system group was given.

import type { IncomingHttpHeaders } from 'node:http';
import { badRequest, forbidden, type StatusError } from '../api/status.js';
import {
  type Attributes,
  authorize,
  forbiddenMessage,
  type RbacSource,
} from './rbac-authorizer.js';
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS,
  serviceAccountGroups,
  serviceAccountUsername,
  splitServiceAccountUsername,
  type UserInfo,
} from './user.js';

interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

/** Formats like Go's %v of a []v1.ObjectReference. */
function describeRequests(reqs: ImpersonationRequest[]): string {
  const one = (r: ImpersonationRequest) =>
    `{${[r.kind, r.namespace, r.name, '', r.apiVersion, '', r.fieldPath].join(' ')}}`;
  return `[${reqs.map(one).join(' ')}]`;
}

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

export type ImpersonationFailure =
  | { kind: 'status'; error: StatusError }
  | { kind: 'text'; code: number; text: string };

export interface ImpersonationOptions {
  /** kube-apiserver < 1.35 answers a missing Impersonate-User with a plain-text 500; later, 400. */
  missingUserAsBadRequest: boolean;
  requestUri: string;
}

function buildRequests(headers: Record<string, string[] | undefined>): {
  reqs: ImpersonationRequest[];
  hasUser: boolean;
  hasOthers: boolean;
} {
  const reqs: ImpersonationRequest[] = [];
  const requestedUser = headers['impersonate-user']?.[0] ?? '';
  const hasUser = requestedUser.length > 0;
  if (hasUser) {
    const sa = splitServiceAccountUsername(requestedUser);
    if (sa)
      reqs.push({
        kind: 'ServiceAccount',
        namespace: sa.namespace,
        name: sa.name,
        apiVersion: '',
        fieldPath: '',
      });
    else
      reqs.push({
        kind: 'User',
        namespace: '',
        name: requestedUser,
        apiVersion: '',
        fieldPath: '',
      });
  }
  let hasOthers = false;
  for (const group of headers['impersonate-group'] ?? []) {
    hasOthers = true;
    reqs.push({ kind: 'Group', namespace: '', name: group, apiVersion: '', fieldPath: '' });
  }
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith('impersonate-extra-') || !values) continue;
    hasOthers = true;
    const key = unescapeExtraKey(header.slice('impersonate-extra-'.length).toLowerCase());
    for (const value of values) {
      reqs.push({
        kind: 'UserExtra',
        namespace: '',
        name: value,
        apiVersion: 'authentication.k8s.io/v1',
        fieldPath: key,
      });
    }
  }
  const uid = headers['impersonate-uid']?.[0] ?? '';
  if (uid.length > 0) {
    hasOthers = true;
    reqs.push({
      kind: 'UID',
      namespace: '',
      name: uid,
      apiVersion: 'authentication.k8s.io/v1',
      fieldPath: '',
    });
  }
  return { reqs, hasUser, hasOthers };
}

const sanitize = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Builds the Forbidden Status of responsewriters.ForbiddenStatusError. */
export function forbiddenStatus(a: Attributes, reason: string): StatusError {
  const msg = sanitize(forbiddenMessage(a));
  const err = reason ? `${msg}: ${reason}` : msg;
  return forbidden({ group: a.apiGroup, resource: a.resource }, a.name, err);
}

/**
 * Applies impersonation headers. Returns the requestor unchanged when there are none, the
 * impersonated user when allowed, or the failure to send.
 */
export function impersonate(
  rbac: RbacSource,
  requestor: UserInfo,
  headersDistinct: Record<string, string[] | undefined> | IncomingHttpHeaders,
  options: ImpersonationOptions,
): UserInfo | ImpersonationFailure {
  const headers = headersDistinct as Record<string, string[] | undefined>;
  const { reqs, hasUser, hasOthers } = buildRequests(headers);
  if (hasOthers && !hasUser) {
    const msg = `requested ${describeRequests(reqs)} without impersonating a user`;
    if (options.missingUserAsBadRequest) return { kind: 'status', error: badRequest(msg) };
    return {
      kind: 'text',
      code: 500,
      text: sanitize(`Internal Server Error: ${JSON.stringify(options.requestUri)}: ${msg}`),
    };
  }
  if (reqs.length === 0) return requestor;
  const groupsSpecified = (headers['impersonate-group'] ?? []).length > 0;
  let username = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  let uid = '';
  for (const r of reqs) {
    const a: Attributes = {
      user: requestor,
      verb: 'impersonate',
      isResourceRequest: true,
      path: '',
      apiGroup: r.kind === 'UserExtra' || r.kind === 'UID' ? 'authentication.k8s.io' : '',
      apiVersion: 'v1',
      namespace: r.namespace,
      resource: '',
      subresource: '',
      name: r.name,
    };
    switch (r.kind) {
      case 'ServiceAccount':
        a.resource = 'serviceaccounts';
        username = serviceAccountUsername(r.namespace, r.name);
        if (!groupsSpecified) groups = serviceAccountGroups(r.namespace);
        break;
      case 'User':
        a.resource = 'users';
        username = r.name;
        break;
      case 'Group':
        a.resource = 'groups';
        groups.push(r.name);
        break;
      case 'UserExtra':
        a.resource = 'userextras';
        a.subresource = r.fieldPath;
        extra[r.fieldPath] = [...(extra[r.fieldPath] ?? []), r.name];
        break;
      case 'UID':
        a.resource = 'uids';
        uid = r.name;
        break;
    }
    const d = authorize(rbac, a);
    if (!d.allowed) return { kind: 'status', error: forbiddenStatus(a, d.reason) };
  }
  if (username !== ANONYMOUS) {
    if (!groups.some((g) => g === ALL_AUTHENTICATED || g === ALL_UNAUTHENTICATED)) {
      groups.push(ALL_AUTHENTICATED);
    }
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  const user: UserInfo = { username, groups, extra };
  if (uid) user.uid = uid;
  return user;
}

export function isImpersonationFailure(
  v: UserInfo | ImpersonationFailure,
): v is ImpersonationFailure {
  return 'kind' in v;
}
