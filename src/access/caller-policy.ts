/**
 * How a caller's identity is evaluated: its user id and group principals, restricted by a
 * cluster-scoped API key to that one cluster (such a key carries no global rights at all).
 */
import type { Identity } from '../domain/identity.js';
import type { AccessState, AccessSubject } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';
import {
  type AccessScope,
  can,
  canReachUrl,
  GLOBAL_SCOPE,
  type PaddockRequest,
} from '../rbac/index.js';

export function subjectOf(identity: Identity): AccessSubject {
  return { userId: identity.userId, groupPrincipalIds: identity.groupPrincipalIds };
}

export function callerCan(
  state: AccessState,
  identity: Identity,
  request: PaddockRequest,
  scope: AccessScope = GLOBAL_SCOPE,
): boolean {
  const scopedTo = identity.scope?.clusterId;
  if (scopedTo !== undefined && (scope.kind === 'global' || scope.clusterId !== scopedTo)) {
    return false;
  }
  return can(state, subjectOf(identity), request, scope).allowed;
}

/** May the caller call a Paddock URL such as `get /metrics`? Never with a cluster-scoped key. */
export function callerMayReach(
  state: AccessState,
  identity: Identity,
  request: { readonly verb: string; readonly path: string },
): boolean {
  if (identity.scope !== undefined) return false;
  return canReachUrl(state, subjectOf(identity), request).allowed;
}

export function forbidden(request: PaddockRequest, scope: AccessScope): PaddockError {
  const where =
    scope.kind === 'global'
      ? ''
      : scope.kind === 'cluster'
        ? ` in cluster ${scope.clusterId}`
        : ` in project ${scope.clusterId}:${scope.projectId}`;
  return new PaddockError('FORBIDDEN', `you may not ${request.verb} ${request.resource}${where}`, {
    reason: 'missing_permission',
    details: { verb: request.verb, resource: request.resource },
  });
}
