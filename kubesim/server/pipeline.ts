// The request pipeline of one cluster, in the apiserver's filter order: faults (kubesim only),
// authentication, impersonation, request info, authorization, then the handler.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest } from '../api/api-request.js';
import { parseRequestInfo, type RequestInfo } from '../api/request-info.js';
import { methodNotAllowed, pathNotFound, type StatusError, unauthorized } from '../api/status.js';
import { anonymousUser, authenticate } from '../auth/authenticator.js';
import { forbiddenStatus, impersonate, isImpersonationFailure } from '../auth/impersonation.js';
import { type Attributes, authorize } from '../auth/rbac-authorizer.js';
import type { UserInfo } from '../auth/user.js';
import { negotiate, sendStatus, sendText } from './http-io.js';
import { routeNonResource } from './non-resource.js';
import { routeResource } from './resource-router.js';
import type { SimCluster } from './sim-cluster.js';

const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

export function attributesOf(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    namespace: info.namespace,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}

function minorVersion(v: string): number {
  const m = /^v?\d+\.(\d+)/.exec(v);
  return m ? Number(m[1]) : 32;
}

export type Authenticated =
  | { ok: true; user: UserInfo; info: RequestInfo; url: URL }
  | { ok: false; error: StatusError }
  | { ok: false; text: { code: number; text: string } };

/** Runs authentication, impersonation and authorization. */
export function authenticateAndAuthorize(cluster: SimCluster, req: IncomingMessage): Authenticated {
  const url = new URL(req.url ?? '/', 'https://kubesim.local');
  const authn = authenticate(
    {
      staticTokens: cluster.staticTokens,
      signer: cluster.signer,
      store: cluster.store,
      now: () => cluster.now(),
    },
    req.headers.authorization,
  );
  let user: UserInfo;
  if (authn.kind === 'user') user = authn.user;
  else if (
    authn.kind === 'none' &&
    (cluster.anonymous === 'enabled' ||
      (cluster.anonymous === 'health' && PUBLIC_PATHS.test(url.pathname)))
  ) {
    user = anonymousUser();
  } else {
    return { ok: false, error: unauthorized() };
  }
  const imp = impersonate(cluster.rbac, user, req.headersDistinct, {
    missingUserAsBadRequest: minorVersion(cluster.kubeVersion) >= 35,
    requestUri: req.url ?? '/',
  });
  if (isImpersonationFailure(imp)) {
    if (imp.kind === 'status') return { ok: false, error: imp.error };
    return { ok: false, text: { code: imp.code, text: imp.text } };
  }
  user = imp;
  const info = parseRequestInfo(req.method ?? 'GET', url);
  const attrs = attributesOf(user, info);
  const decision = authorize(cluster.rbac, attrs);
  if (!decision.allowed) return { ok: false, error: forbiddenStatus(attrs, decision.reason) };
  return { ok: true, user, info, url };
}

export function isMinorAtLeast(cluster: SimCluster, minor: number): boolean {
  return minorVersion(cluster.kubeVersion) >= minor;
}

async function dispatch(
  cluster: SimCluster,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const auth = authenticateAndAuthorize(cluster, req);
  if (!auth.ok) {
    if ('error' in auth) sendStatus(res, auth.error);
    else sendText(res, auth.text.code, auth.text.text);
    return;
  }
  const { user, info, url } = auth;
  if (!info.isResourceRequest) {
    routeNonResource(cluster, req, res, url, info);
    return;
  }
  const t = cluster.registry.find(info.apiGroup, info.apiVersion, info.resource);
  if (!t || (!t.namespaced && info.namespace && info.resource !== 'namespaces'))
    throw pathNotFound();
  if (info.verb === '') throw methodNotAllowed();
  const form = negotiate(req.headers.accept, 'resource') ?? { as: 'object' as const };
  const ar: ApiRequest = { ctx: cluster, req, res, url, info, user, t, form };
  if (t.custom) ar.customColumns = t.printerColumns ?? [];
  await routeResource(cluster, ar);
}

/** Entry point for every HTTP request to a cluster. */
export async function handleRequest(
  cluster: SimCluster,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const delay = cluster.faults.delayMs();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (cluster.faults.hang) return;
    const injected = cluster.faults.injectedError();
    if (injected) {
      sendStatus(res, injected);
      return;
    }
    await dispatch(cluster, req, res);
  } catch (err) {
    sendStatus(res, err);
  }
}
