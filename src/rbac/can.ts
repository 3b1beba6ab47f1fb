/**
 * The one evaluation function for Paddock's own objects (clusters, users, global roles,
 * templates, settings, bindings, projects, ...): every GraphQL field and endpoint that touches
 * them asks `can`. Global roles apply everywhere; a cluster's bindings also apply to the
 * cluster's projects (a cluster-owner manages every project), a project's only to it.
 */
import { type AccessState, type AccessSubject, PADDOCK_API_GROUP } from '../domain/rbac.js';
import { EffectiveBindings, type GrantSource, type RuleSet } from './effective-bindings.js';
import { type NonResourceRequest, type ResourceRequest, ruleAllows } from './policy-rule.js';

export type AccessScope =
  | { readonly kind: 'global' }
  | { readonly kind: 'cluster'; readonly clusterId: string }
  | { readonly kind: 'project'; readonly clusterId: string; readonly projectId: string };

export const GLOBAL_SCOPE: AccessScope = { kind: 'global' };

export interface PaddockRequest {
  readonly verb: string;
  /** A Paddock resource (`clusters`, `users`, `projectroletemplatebindings`, ...). */
  readonly resource: string;
  readonly name?: string;
  /** Defaults to `management.paddock.io`. */
  readonly apiGroup?: string;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The first rule set that allowed it; absent when denied. */
  readonly grantedBy?: GrantSource;
}

/** The rule sets that apply to a subject at a scope. */
export function ruleSetsAt(
  bindings: EffectiveBindings,
  subject: AccessSubject,
  scope: AccessScope,
): RuleSet[] {
  const sets = bindings.globalRuleSets(subject);
  if (scope.kind === 'global') return sets;
  sets.push(...bindings.clusterRuleSets(scope.clusterId, subject));
  if (scope.kind === 'project') {
    sets.push(...bindings.projectRuleSets(scope.clusterId, scope.projectId, subject));
  }
  return sets;
}

/** May this subject do this to a Paddock object at this scope? */
export function can(
  state: AccessState | EffectiveBindings,
  subject: AccessSubject,
  request: PaddockRequest,
  scope: AccessScope = GLOBAL_SCOPE,
): AccessDecision {
  const bindings = state instanceof EffectiveBindings ? state : new EffectiveBindings(state);
  const asResource: ResourceRequest = {
    kind: 'resource',
    verb: request.verb,
    apiGroup: request.apiGroup ?? PADDOCK_API_GROUP,
    resource: request.resource,
    ...(request.name === undefined ? {} : { name: request.name }),
  };
  for (const set of ruleSetsAt(bindings, subject, scope)) {
    if (set.rules.some((rule) => ruleAllows(asResource, rule))) {
      return { allowed: true, grantedBy: set.source };
    }
  }
  return { allowed: false };
}

/**
 * May this subject call one of Paddock's own non-resource URLs (`get /metrics`)? Only global
 * roles grant these (`view-metrics`, or admin's `nonResourceURLs: ['*']`).
 */
export function canReachUrl(
  state: AccessState | EffectiveBindings,
  subject: AccessSubject,
  request: { readonly verb: string; readonly path: string },
): AccessDecision {
  const bindings = state instanceof EffectiveBindings ? state : new EffectiveBindings(state);
  const asUrl: NonResourceRequest = { kind: 'nonResource', verb: request.verb, path: request.path };
  for (const set of bindings.globalRuleSets(subject)) {
    if (set.rules.some((rule) => ruleAllows(asUrl, rule))) {
      return { allowed: true, grantedBy: set.source };
    }
  }
  return { allowed: false };
}

/**
 * The clusters where the subject holds any binding (cluster, project), or `all` for a subject
 * who may list clusters or holds cluster roles everywhere through a global role.
 */
export function memberClusterIds(
  state: AccessState,
  subject: AccessSubject,
): 'all' | ReadonlySet<string> {
  const bindings = new EffectiveBindings(state);
  if (can(bindings, subject, { verb: 'list', resource: 'clusters' }).allowed) return 'all';
  // A global role's inherited cluster roles apply in every cluster (restricted-admin, custom).
  const inherited = bindings
    .globalRoleBindingsOf(subject)
    .some((b) => (bindings.globalRole(b.globalRoleId)?.inheritedClusterRoles.length ?? 0) > 0);
  if (inherited) return 'all';
  const ids = new Set<string>();
  for (const b of state.clusterRoleBindings) {
    if (bindings.clusterRuleSets(b.clusterId, subject).length > 0) ids.add(b.clusterId);
  }
  for (const b of state.projectRoleBindings) {
    if (bindings.projectRuleSets(b.clusterId, b.projectId, subject).length > 0)
      ids.add(b.clusterId);
  }
  return ids;
}
