/**
 * Whether one subject holds every right another holds, the check behind "a user manager may
 * not take over or lock out someone more powerful" (as Rancher's webhook refuses editing a user
 * with rights the requester lacks). Compared the way escalation checks compare a role with the
 * granter's rules (`uncoveredRules`): globally, in every cluster (what a global role's
 * inherited cluster roles grant anywhere) and at each cluster and project where the target has
 * a binding.
 */
import type { AccessState, AccessSubject, PolicyRule } from '../domain/rbac.js';
import { type AccessScope, GLOBAL_SCOPE, ruleSetsAt } from './can.js';
import { EffectiveBindings, subjectMatches } from './effective-bindings.js';
import { uncoveredRules } from './escalation.js';

/** A cluster id no binding names: rules there are what inherited cluster roles grant anywhere. */
const ANY_CLUSTER = '\u0000any-cluster';

const EVERYTHING: readonly PolicyRule[] = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

/** The places where `target` may hold rights, in which `holder` must hold them too. */
function scopesOf(bindings: EffectiveBindings, target: AccessSubject): AccessScope[] {
  const scopes: AccessScope[] = [GLOBAL_SCOPE, { kind: 'cluster', clusterId: ANY_CLUSTER }];
  const { state } = bindings;
  for (const b of state.clusterRoleBindings) {
    if (subjectMatches(b.subject, target)) scopes.push({ kind: 'cluster', clusterId: b.clusterId });
  }
  for (const b of state.projectRoleBindings) {
    if (subjectMatches(b.subject, target)) {
      scopes.push({ kind: 'project', clusterId: b.clusterId, projectId: b.projectId });
    }
  }
  return scopes;
}

/** True when `holder` holds every rule `target` holds, at every place the target holds any. */
export function holdsEveryRightOf(
  state: AccessState | EffectiveBindings,
  holder: AccessSubject,
  target: AccessSubject,
): boolean {
  const bindings = state instanceof EffectiveBindings ? state : new EffectiveBindings(state);
  return scopesOf(bindings, target).every((scope) => {
    const wanted = ruleSetsAt(bindings, target, scope).flatMap((s) => s.rules);
    if (wanted.length === 0) return true;
    const held = ruleSetsAt(bindings, holder, scope).flatMap((s) => s.rules);
    return uncoveredRules(held, wanted).length === 0;
  });
}

/** True when the subject's global roles grant every verb on every resource (`admin`). */
export function holdsEverything(
  state: AccessState | EffectiveBindings,
  subject: AccessSubject,
): boolean {
  const bindings = state instanceof EffectiveBindings ? state : new EffectiveBindings(state);
  const held = bindings.globalRuleSets(subject).flatMap((s) => s.rules);
  return uncoveredRules(held, EVERYTHING).length === 0;
}
