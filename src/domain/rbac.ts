/**
 * Authorization records: global roles over Paddock's own objects, role templates over
 * Kubernetes objects, their bindings on clusters and projects, and projects themselves.
 * `src/rbac` evaluates them (pure), `src/access` stores them, `src/datasources/rbac-sync` pushes
 * them down into every downstream cluster.
 */

/** A Kubernetes `rbac.authorization.k8s.io/v1` PolicyRule. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

/** The API group of Paddock's own objects in global-role and template rules. */
export const PADDOCK_API_GROUP = 'management.paddock.io';

/** Who a binding names: a Paddock user (pushed as `User <userId>`) or a group principal. */
export type BindingSubject =
  | { readonly kind: 'user'; readonly userId: string; readonly principalId?: string }
  | { readonly kind: 'group'; readonly principalId: string };

export interface GlobalRole {
  /** `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, e.g. `admin`, `users-manage`. */
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  /** Rules over `management.paddock.io` resources (clusters, users, settings, ...). */
  readonly rules: readonly PolicyRule[];
  /** Granted to every new user the first time Paddock sees them. */
  readonly newUserDefault: boolean;
  readonly builtin: boolean;
  /** Cluster-context templates this role holds in every cluster (admin: cluster-owner). */
  readonly inheritedClusterRoles: readonly string[];
}

export type RoleTemplateContext = 'cluster' | 'project';

export interface RoleTemplate {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly context: RoleTemplateContext;
  readonly rules: readonly PolicyRule[];
  /** Ids of templates whose rules this one includes (transitively); cycles are refused. */
  readonly inherits: readonly string[];
  readonly builtin: boolean;
  /** A locked template keeps its existing bindings but cannot be newly bound. */
  readonly locked: boolean;
  /** Hidden from pickers (e.g. create-ns), still bindable. */
  readonly hidden: boolean;
}

export interface GlobalRoleBinding {
  readonly id: string;
  readonly globalRoleId: string;
  readonly subject: BindingSubject;
  readonly createdAt: number;
}

export interface ClusterRoleBinding {
  readonly id: string;
  readonly clusterId: string;
  readonly roleTemplateId: string;
  readonly subject: BindingSubject;
  readonly createdAt: number;
}

export interface ProjectRoleBinding {
  readonly id: string;
  readonly clusterId: string;
  readonly projectId: string;
  readonly roleTemplateId: string;
  readonly subject: BindingSubject;
  readonly createdAt: number;
}

/** Kubernetes quantities by resource name, e.g. `{ pods: '10', 'limits.cpu': '2' }`. */
export type ResourceList = Readonly<Record<string, string>>;

export interface ProjectQuota {
  /** What all the project's namespaces may use together. */
  readonly limit: ResourceList;
  /** What each namespace gets unless it has its own override. */
  readonly namespaceDefault: ResourceList;
}

/** Defaults for containers that declare none (a LimitRange in every namespace). */
export interface ContainerDefaults {
  readonly requests?: ResourceList;
  readonly limits?: ResourceList;
}

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Pod Security Admission levels applied as labels on every namespace of the project. */
export interface PodSecurity {
  readonly enforce?: PodSecurityLevel;
  readonly audit?: PodSecurityLevel;
  readonly warn?: PodSecurityLevel;
}

export interface Project {
  /** `p-<random>`; unique within its cluster. */
  readonly id: string;
  readonly clusterId: string;
  readonly name: string;
  readonly description: string;
  readonly quota?: ProjectQuota;
  readonly containerDefaults?: ContainerDefaults;
  readonly podSecurity?: PodSecurity;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Everything the push-down and the evaluator need, read at one moment. */
export interface AccessState {
  readonly globalRoles: readonly GlobalRole[];
  readonly roleTemplates: readonly RoleTemplate[];
  readonly globalRoleBindings: readonly GlobalRoleBinding[];
  readonly clusterRoleBindings: readonly ClusterRoleBinding[];
  readonly projectRoleBindings: readonly ProjectRoleBinding[];
  readonly projects: readonly Project[];
}

/** The desired state for the push-down, with a way to hear that it changed. */
export interface AccessStateSource {
  snapshot(): Promise<AccessState>;
  /** Called with the cluster a change concerns, or `undefined` when it may concern every one. */
  watch(listener: (clusterId: string | undefined) => void): () => void;
}

/** Who is asking, as the proxy impersonates them downstream. */
export interface AccessSubject {
  readonly userId: string;
  readonly groupPrincipalIds: readonly string[];
}
