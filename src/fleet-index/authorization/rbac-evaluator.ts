/**
 * Decides what a caller may do in one cluster from the cluster's own RBAC objects, the way the
 * API server's authorizer chain does when it is privileged groups then RBAC
 * (`plugin/pkg/auth/authorizer/rbac/rbac.go`, `VisitRulesFor` in
 * `pkg/registry/rbac/validation/rule.go`): a request is allowed when the user is in
 * `system:masters`, or when any rule of any ClusterRoleBinding that applies to the user, or of
 * any RoleBinding of the request's namespace that applies, allows it. Bindings whose role is
 * missing grant nothing. Nothing is ever denied by RBAC, so the order of bindings does not
 * change the answer.
 */

import { type ResourceRequest, ruleAllows } from '../../rbac/policy-rule.js';
import type { ClusterRbac } from './cluster-rbac.js';
import {
  type KubeBinding,
  type KubeUser,
  type ResourceAttributes,
  SYSTEM_MASTERS,
} from './kube-rbac-types.js';

/** Where a caller may list (or watch) one kind: everywhere, or in these namespaces. */
export interface AccessScope {
  /** Allowed at the cluster scope, hence in every namespace. */
  readonly all: boolean;
  /** Namespaces where a RoleBinding allows it (empty when `all`). */
  readonly namespaces: ReadonlySet<string>;
}

export const NO_ACCESS: AccessScope = { all: false, namespaces: new Set() };
const ALL_ACCESS: AccessScope = { all: true, namespaces: new Set() };

export interface Decision {
  readonly allowed: boolean;
  /** `RBAC: allowed by ...` like the API server's reason, or `''`. */
  readonly reason: string;
}

const MEMO_LIMIT = 20_000;

export class RbacEvaluator {
  readonly #rbac: ClusterRbac;
  #memoGeneration = -1;
  readonly #memo = new Map<string, AccessScope>();

  constructor(rbac: ClusterRbac) {
    this.#rbac = rbac;
  }

  /** The full decision for one request (what a SubjectAccessReview answers). */
  authorize(user: KubeUser, attributes: ResourceAttributes): Decision {
    if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    const request: ResourceRequest = { kind: 'resource', ...attributes };
    const namespace = attributes.namespace ?? '';
    const { cluster, namespaced } = this.#rbac.bindingsOf(user);
    for (const binding of cluster) {
      if (this.#allows(binding, request)) {
        return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${binding.name}"` };
      }
    }
    if (namespace !== '') {
      for (const binding of namespaced) {
        if (binding.namespace === namespace && this.#allows(binding, request)) {
          return {
            allowed: true,
            reason: `RBAC: allowed by RoleBinding "${binding.name}/${namespace}"`,
          };
        }
      }
    }
    return { allowed: false, reason: '' };
  }

  /**
   * Where `verb` (list or watch: a request without a name) on a kind is allowed: at the
   * cluster scope through a ClusterRoleBinding, else in each namespace one of whose
   * RoleBindings allows it. Cached until the cluster's RBAC changes.
   */
  scope(user: KubeUser, verb: string, apiGroup: string, resource: string): AccessScope {
    if (this.#memoGeneration !== this.#rbac.generation || this.#memo.size > MEMO_LIMIT) {
      this.#memo.clear();
      this.#memoGeneration = this.#rbac.generation;
    }
    const key = `${user.name}\0${[...user.groups].sort().join('\0')}\0\0${verb}\0${apiGroup}\0${resource}`;
    const cached = this.#memo.get(key);
    if (cached !== undefined) return cached;
    const computed = this.#computeScope(user, {
      kind: 'resource',
      verb,
      apiGroup,
      resource,
      name: '',
    });
    this.#memo.set(key, computed);
    return computed;
  }

  #computeScope(user: KubeUser, request: ResourceRequest): AccessScope {
    if (user.groups.includes(SYSTEM_MASTERS)) return ALL_ACCESS;
    const { cluster, namespaced } = this.#rbac.bindingsOf(user);
    if (cluster.some((b) => this.#allows(b, request))) return ALL_ACCESS;
    const namespaces = new Set<string>();
    for (const binding of namespaced) {
      if (!namespaces.has(binding.namespace) && this.#allows(binding, request)) {
        namespaces.add(binding.namespace);
      }
    }
    return namespaces.size === 0 ? NO_ACCESS : { all: false, namespaces };
  }

  #allows(binding: KubeBinding, request: ResourceRequest): boolean {
    const rules = this.#rbac.rulesFor(binding);
    return rules?.some((rule) => ruleAllows(request, rule)) ?? false;
  }
}

/** Whether a scope lets the caller see an object in `namespace` (`''`: cluster-scoped). */
export function scopeAllows(scope: AccessScope, namespace: string): boolean {
  return scope.all || (namespace !== '' && scope.namespaces.has(namespace));
}
