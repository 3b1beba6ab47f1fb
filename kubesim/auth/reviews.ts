// The create-only review APIs: (Self|Local)SubjectAccessReview, SelfSubjectRulesReview,
// SelfSubjectReview, TokenReview, and TokenRequest (serviceaccounts/<name>/token).

import type { ApiRequest } from '../api/api-request.js';
import { invalid, notFound } from '../api/status.js';
import { rfc3339 } from '../server/context.js';
import { decodeBody, readBody, sendJson } from '../server/http-io.js';
import type { SimCluster } from '../server/sim-cluster.js';
import { asObject, asString, isObject, type JsonObject } from '../storage/types.js';
import { authenticate, authenticateServiceAccountToken } from './authenticator.js';
import { type Attributes, authorize, type PolicyRule, visitRulesFor } from './rbac-authorizer.js';
import { API_AUDIENCE } from './service-account-tokens.js';
import { ALL_AUTHENTICATED, type UserInfo } from './user.js';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function attributesFromSpec(user: UserInfo, spec: JsonObject, namespace?: string): Attributes {
  const ra = asObject(spec.resourceAttributes);
  const nra = asObject(spec.nonResourceAttributes);
  if (isObject(spec.resourceAttributes)) {
    return {
      user,
      verb: asString(ra.verb),
      isResourceRequest: true,
      path: '',
      apiGroup: asString(ra.group),
      apiVersion: asString(ra.version),
      namespace: namespace ?? asString(ra.namespace),
      resource: asString(ra.resource),
      subresource: asString(ra.subresource),
      name: asString(ra.name),
    };
  }
  return {
    user,
    verb: asString(nra.verb),
    isResourceRequest: false,
    path: asString(nra.path),
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
}

function accessStatus(cluster: SimCluster, a: Attributes): JsonObject {
  const d = authorize(cluster.rbac, a);
  const status: JsonObject = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return status;
}

function echo(
  body: JsonObject,
  kind: string,
  apiVersion: string,
  status: JsonObject,
  meta: JsonObject = {},
): JsonObject {
  return {
    kind,
    apiVersion,
    metadata: { ...asObject(body.metadata), creationTimestamp: null, ...meta },
    spec: body.spec,
    status,
  };
}

function rulesReview(cluster: SimCluster, user: UserInfo, namespace: string): JsonObject {
  const resourceRules: JsonObject[] = [];
  const nonResourceRules: JsonObject[] = [];
  const errors: string[] = [];
  visitRulesFor(
    cluster.rbac,
    user,
    namespace,
    ({ rules }) => {
      for (const r of rules as PolicyRule[]) {
        if (r.nonResourceURLs && r.nonResourceURLs.length > 0) {
          nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
        } else {
          const rr: JsonObject = { verbs: r.verbs };
          if (r.apiGroups) rr.apiGroups = r.apiGroups;
          if (r.resources) rr.resources = r.resources;
          if (r.resourceNames) rr.resourceNames = r.resourceNames;
          resourceRules.push(rr);
        }
      }
      return true;
    },
    (e) => errors.push(e),
  );
  const status: JsonObject = { resourceRules, nonResourceRules, incomplete: false };
  if (errors.length > 0) status.evaluationError = errors.join(', ');
  return status;
}

function userInfoJson(u: UserInfo): JsonObject {
  const out: JsonObject = { username: u.username };
  if (u.uid) out.uid = u.uid;
  out.groups = u.groups;
  if (Object.keys(u.extra).length > 0) out.extra = u.extra;
  return out;
}

export async function handleReview(cluster: SimCluster, ar: ApiRequest): Promise<void> {
  const body = asObject(decodeBody(await readBody(ar.req), ar.req.headers['content-type']));
  const spec = asObject(body.spec);
  const { t } = ar;
  const gv = `${t.group}/${t.version}`;
  switch (t.resource) {
    case 'selfsubjectaccessreviews':
      sendJson(
        ar.res,
        201,
        echo(body, t.kind, gv, accessStatus(cluster, attributesFromSpec(ar.user, spec))),
      );
      return;
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      const user = asString(spec.user);
      const groups = strings(spec.groups);
      if (!user && groups.length === 0) {
        throw invalid(t.kind, t.group, '', [
          {
            type: 'FieldValueInvalid',
            field: 'spec.user',
            message: 'Invalid value: "": at least one of user or group must be specified',
          },
        ]);
      }
      const extra: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(asObject(spec.extra))) extra[k] = strings(v);
      const subject: UserInfo = { username: user, groups, extra };
      if (spec.uid) subject.uid = asString(spec.uid);
      const ns = t.resource === 'localsubjectaccessreviews' ? ar.info.namespace : undefined;
      const meta = ns ? { namespace: ns } : {};
      sendJson(
        ar.res,
        201,
        echo(body, t.kind, gv, accessStatus(cluster, attributesFromSpec(subject, spec, ns)), meta),
      );
      return;
    }
    case 'selfsubjectrulesreviews':
      sendJson(
        ar.res,
        201,
        echo(body, t.kind, gv, rulesReview(cluster, ar.user, asString(spec.namespace))),
      );
      return;
    case 'selfsubjectreviews':
      sendJson(ar.res, 201, {
        kind: t.kind,
        apiVersion: gv,
        metadata: { creationTimestamp: null },
        status: { userInfo: userInfoJson(ar.user) },
      });
      return;
    case 'tokenreviews': {
      const token = asString(spec.token);
      const audiences = strings(spec.audiences);
      const deps = {
        staticTokens: cluster.staticTokens,
        signer: cluster.signer,
        store: cluster.store,
        now: () => cluster.now(),
      };
      let user: UserInfo | undefined;
      if (audiences.length > 0 && !audiences.includes(API_AUDIENCE)) {
        user = authenticateServiceAccountToken(deps, token, audiences);
      } else {
        const r = authenticate(deps, `Bearer ${token}`);
        if (r.kind === 'user') user = r.user;
      }
      const status: JsonObject = user
        ? {
            authenticated: true,
            user: userInfoJson({
              ...user,
              groups: user.groups.includes(ALL_AUTHENTICATED)
                ? user.groups
                : [...user.groups, ALL_AUTHENTICATED],
            }),
            audiences: audiences.length > 0 ? audiences : [API_AUDIENCE],
          }
        : { user: {}, error: '[invalid bearer token, token lookup failed]' };
      sendJson(ar.res, 201, echo(body, t.kind, gv, status));
      return;
    }
    default:
      sendJson(ar.res, 201, echo(body, t.kind, gv, {}));
  }
}

export async function handleTokenRequest(cluster: SimCluster, ar: ApiRequest): Promise<void> {
  const body = asObject(decodeBody(await readBody(ar.req), ar.req.headers['content-type']));
  const spec = asObject(body.spec);
  const { namespace, name } = ar.info;
  const sa = cluster.store.get('serviceaccounts', namespace, name);
  if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  const expirationSeconds =
    typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
  if (expirationSeconds < 600) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        message: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`,
      },
    ]);
  }
  const ref = asObject(spec.boundObjectRef);
  let bound: { kind: string; name: string; uid: string } | undefined;
  if (ref.kind) {
    const key = ref.kind === 'Pod' ? 'pods' : 'secrets';
    const obj = cluster.store.get(key, namespace, asString(ref.name));
    if (!obj) throw notFound({ group: '', resource: key }, asString(ref.name));
    bound = { kind: asString(ref.kind), name: asString(ref.name), uid: obj.metadata.uid ?? '' };
  }
  const now = cluster.now();
  const { token, claims } = cluster.signer.bound({
    namespace,
    name,
    uid: sa.metadata.uid ?? '',
    audiences: strings(spec.audiences),
    expirationSeconds,
    now,
    boundObject: bound,
  });
  sendJson(ar.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: rfc3339(now) },
    spec: { audiences: claims.aud, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: rfc3339(new Date(claims.exp * 1000)) },
  });
}
