/**
 * Who may do what with apps. Paddock's own objects (catalogs, multi-cluster apps) are decided
 * by `src/rbac` over the access state: global catalogs by `catalogs-manage`, cluster catalogs
 * by cluster-owners, project catalogs by project-owners (and cluster-owners). Installing into a
 * namespace is decided by the downstream cluster itself, asked as the caller with a
 * SelfSubjectAccessReview, exactly as `kubectl auth can-i` would.
 */
import type { Identity } from '../domain/identity.js';
import type { KubeApi, KubeResource } from '../domain/kube-api.js';
import type { AccessStateSource } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';
import {
  type AccessScope,
  can,
  EffectiveBindings,
  GLOBAL_SCOPE,
  memberClusterIds,
} from '../rbac/index.js';

const SELF_SUBJECT_ACCESS_REVIEWS: KubeResource = {
  group: 'authorization.k8s.io',
  version: 'v1',
  resource: 'selfsubjectaccessreviews',
  namespaced: false,
  kind: 'SelfSubjectAccessReview',
};

export interface ScopedObject {
  readonly scope: 'global' | 'cluster' | 'project';
  readonly clusterId?: string;
  readonly projectId?: string;
}

export function accessScopeOf(o: ScopedObject): AccessScope {
  if (o.scope === 'global' || o.clusterId === undefined) return GLOBAL_SCOPE;
  if (o.scope === 'cluster' || o.projectId === undefined) {
    return { kind: 'cluster', clusterId: o.clusterId };
  }
  return { kind: 'project', clusterId: o.clusterId, projectId: o.projectId };
}

export function forbiddenTo(what: string): PaddockError {
  return new PaddockError('FORBIDDEN', `you may not ${what}`, { reason: 'missing_permission' });
}

export class AppsAccess {
  readonly #access: AccessStateSource;
  readonly #kubeApi: KubeApi;

  constructor(deps: { access: AccessStateSource; kubeApi: KubeApi }) {
    this.#access = deps.access;
    this.#kubeApi = deps.kubeApi;
  }

  /** `can` on a Paddock resource; a cluster-scoped key has no rights outside its cluster. */
  async allows(
    caller: Identity,
    verb: string,
    resource: string,
    scope: AccessScope,
  ): Promise<boolean> {
    const scopedTo = caller.scope?.clusterId;
    if (scopedTo !== undefined && (scope.kind === 'global' || scope.clusterId !== scopedTo)) {
      return false;
    }
    const subject = { userId: caller.userId, groupPrincipalIds: caller.groupPrincipalIds };
    return can(await this.#access.snapshot(), subject, { verb, resource }, scope).allowed;
  }

  /** Holds any binding in the cluster (or in the project, when given), or sees every cluster. */
  async isMember(caller: Identity, clusterId: string, projectId?: string): Promise<boolean> {
    const scopedTo = caller.scope?.clusterId;
    if (scopedTo !== undefined && scopedTo !== clusterId) return false;
    const state = await this.#access.snapshot();
    const subject = { userId: caller.userId, groupPrincipalIds: caller.groupPrincipalIds };
    const clusters = memberClusterIds(state, subject);
    if (clusters === 'all') return true;
    const bindings = new EffectiveBindings(state);
    if (bindings.clusterRuleSets(clusterId, subject).length > 0) return true;
    if (projectId === undefined) return clusters.has(clusterId);
    return bindings.projectRuleSets(clusterId, projectId, subject).length > 0;
  }

  async mayManageCatalog(caller: Identity, verb: string, o: ScopedObject): Promise<boolean> {
    return this.allows(caller, verb, 'catalogs', accessScopeOf(o));
  }

  /** Global catalogs are for everyone; a cluster's or project's for its members. */
  async mayReadCatalog(caller: Identity, o: ScopedObject): Promise<boolean> {
    if (o.scope === 'global' || o.clusterId === undefined) return true;
    if (await this.allows(caller, 'get', 'catalogs', accessScopeOf(o))) return true;
    return this.isMember(caller, o.clusterId, o.scope === 'project' ? o.projectId : undefined);
  }

  /**
   * Whether the downstream cluster lets `identity` create Secrets in `namespace` (where Helm
   * keeps its releases, so nothing installs without it): `{ allowed }` plus the denial's reason.
   */
  async mayInstall(
    identity: Identity,
    clusterId: string,
    namespace: string,
    signal?: AbortSignal,
  ): Promise<{ allowed: boolean; reason?: string }> {
    const review = await this.#kubeApi.forCaller(identity).create(
      clusterId,
      SELF_SUBJECT_ACCESS_REVIEWS,
      undefined,
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: {},
        spec: { resourceAttributes: { namespace, verb: 'create', resource: 'secrets' } },
      },
      signal === undefined ? {} : { signal },
    );
    const status = (review.status ?? {}) as { allowed?: boolean; reason?: string };
    return {
      allowed: status.allowed === true,
      ...(status.reason ? { reason: status.reason } : {}),
    };
  }
}
