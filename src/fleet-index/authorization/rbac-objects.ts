/**
 * Reads Roles, ClusterRoles, RoleBindings and ClusterRoleBindings as they come from a watch
 * into the shapes the evaluator uses. Anything malformed reads the way the authorizer would
 * treat it: a missing list is empty, so it matches nothing.
 */
import type { KubeObject } from '../../domain/kube-api.js';
import type { PolicyRule } from '../../domain/rbac.js';
import type { KubeBinding, KubeRbacSubject } from './kube-rbac-types.js';

const strings = (value: unknown): readonly string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];

/** The `.rules` of a Role or ClusterRole. */
export function rulesOf(object: KubeObject): PolicyRule[] {
  return records(object.rules).map((r) => ({
    verbs: strings(r.verbs),
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    resourceNames: strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  }));
}

/** A RoleBinding or ClusterRoleBinding (namespace `''`). */
export function bindingOf(object: KubeObject): KubeBinding {
  const ref = (object.roleRef ?? {}) as Record<string, unknown>;
  return {
    name: object.metadata.name ?? '',
    namespace: object.metadata.namespace ?? '',
    roleRef: { kind: text(ref.kind), name: text(ref.name) },
    subjects: records(object.subjects).map(
      (s): KubeRbacSubject => ({
        kind: text(s.kind),
        name: text(s.name),
        namespace: text(s.namespace),
      }),
    ),
  };
}
