/**
 * The RBAC objects of one downstream cluster as the Kubernetes RBAC authorizer reads them
 * (`k8s.io/api/rbac/v1`), reduced to what authorization looks at: rules, role references and
 * subjects. Aggregated ClusterRoles carry the rules the aggregation controller wrote into
 * `.rules`, which is all the authorizer reads too. Rules are Paddock's `PolicyRule`.
 */
import type { ResourceRequest } from '../../rbac/policy-rule.js';

export interface KubeRbacSubject {
  readonly kind: string;
  readonly name: string;
  /** `''` when absent (a ServiceAccount subject of a RoleBinding defaults to its namespace). */
  readonly namespace: string;
}

export interface KubeRoleRef {
  readonly kind: string;
  readonly name: string;
}

/** A RoleBinding, or a ClusterRoleBinding when `namespace` is `''`. */
export interface KubeBinding {
  readonly name: string;
  readonly namespace: string;
  readonly roleRef: KubeRoleRef;
  readonly subjects: readonly KubeRbacSubject[];
}

/** Who asks: what the API server sees after impersonation (`user.Info`). */
export interface KubeUser {
  readonly name: string;
  readonly groups: readonly string[];
}

/** The attributes of a resource request (`authorizer.Attributes`); rules match them with `ruleAllows`. */
export type ResourceAttributes = Omit<ResourceRequest, 'kind'>;

/** The group whose members every request is allowed to (the privileged-group authorizer). */
export const SYSTEM_MASTERS = 'system:masters';
