/**
 * Authorization management as the GraphQL layer sees it: every method takes the caller and
 * checks, with the one evaluation function of `src/rbac`, that the caller may do it (global
 * roles for Paddock's objects; cluster-owners manage their cluster's members, project-owners
 * their project's). `AccessService` from `src/access` implements it.
 */
import type { Identity } from './identity.js';
import type {
  ClusterRoleBinding,
  ContainerDefaults,
  GlobalRole,
  GlobalRoleBinding,
  PodSecurity,
  PolicyRule,
  Project,
  ProjectQuota,
  ProjectRoleBinding,
  RoleTemplate,
  RoleTemplateContext,
} from './rbac.js';
import type { RbacSyncStatus } from './rbac-downstream.js';

export interface GlobalRoleInput {
  readonly id: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly rules: readonly PolicyRule[];
  readonly newUserDefault?: boolean;
  readonly inheritedClusterRoles?: readonly string[];
}

export interface RoleTemplateInput {
  readonly id: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly context: RoleTemplateContext;
  readonly rules: readonly PolicyRule[];
  readonly inherits?: readonly string[];
  readonly locked?: boolean;
  readonly hidden?: boolean;
}

export interface ProjectInput {
  readonly name: string;
  readonly description?: string;
  readonly quota?: ProjectQuota | null;
  readonly containerDefaults?: ContainerDefaults | null;
  readonly podSecurity?: PodSecurity | null;
}

export interface ExplainAccessInput {
  /** A user principal (`local://u-…`, `openldap_user://…`) or a Paddock user id. */
  readonly principal: string;
  readonly clusterId: string;
  readonly verb: string;
  /** `deployments`, `deployments.apps`, `pods/log`; or a non-resource path starting with `/`. */
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** One grant in an explanation, flattened for transport. */
export interface ExplainedGrant {
  /** `globalRole`, `inheritedClusterRole`, `clusterBinding`, `projectBinding`, or a downstream kind. */
  readonly kind: string;
  /** Paddock binding id, or the downstream object's `namespace/name`. */
  readonly id: string;
  /** Template or role that holds the rule. */
  readonly role: string;
  readonly subject: string;
  /** The matching rule as JSON. */
  readonly rule: string;
  readonly paddockOwned: boolean;
}

export interface AccessExplanationView {
  readonly allowed: boolean;
  readonly allowedByPaddock: boolean;
  readonly request: string;
  readonly userId: string;
  readonly groupPrincipalIds: readonly string[];
  readonly projectId?: string;
  readonly paddockGrants: readonly ExplainedGrant[];
  readonly downstreamGrants: readonly ExplainedGrant[];
  readonly notes: readonly string[];
}

export interface AccessAdmin {
  globalRoles(caller: Identity): Promise<GlobalRole[]>;
  createGlobalRole(caller: Identity, input: GlobalRoleInput): Promise<GlobalRole>;
  updateGlobalRole(caller: Identity, input: GlobalRoleInput): Promise<GlobalRole>;
  deleteGlobalRole(caller: Identity, id: string): Promise<boolean>;
  globalRoleBindings(caller: Identity): Promise<GlobalRoleBinding[]>;
  bindGlobalRole(
    caller: Identity,
    principal: string,
    globalRoleId: string,
  ): Promise<GlobalRoleBinding>;
  unbindGlobalRole(caller: Identity, bindingId: string): Promise<boolean>;

  roleTemplates(caller: Identity): Promise<RoleTemplate[]>;
  createRoleTemplate(caller: Identity, input: RoleTemplateInput): Promise<RoleTemplate>;
  updateRoleTemplate(caller: Identity, input: RoleTemplateInput): Promise<RoleTemplate>;
  deleteRoleTemplate(caller: Identity, id: string): Promise<boolean>;

  clusterMembers(caller: Identity, clusterId: string): Promise<ClusterRoleBinding[]>;
  addClusterMember(
    caller: Identity,
    clusterId: string,
    principal: string,
    roleTemplateId: string,
  ): Promise<ClusterRoleBinding>;
  changeClusterMemberRole(
    caller: Identity,
    bindingId: string,
    roleTemplateId: string,
  ): Promise<ClusterRoleBinding>;
  removeClusterMember(caller: Identity, bindingId: string): Promise<boolean>;

  projects(caller: Identity, clusterId: string): Promise<Project[]>;
  project(caller: Identity, clusterId: string, projectId: string): Promise<Project | undefined>;
  createProject(caller: Identity, clusterId: string, input: ProjectInput): Promise<Project>;
  updateProject(
    caller: Identity,
    clusterId: string,
    projectId: string,
    input: Partial<ProjectInput>,
  ): Promise<Project>;
  deleteProject(caller: Identity, clusterId: string, projectId: string): Promise<boolean>;

  projectMembers(
    caller: Identity,
    clusterId: string,
    projectId: string,
  ): Promise<ProjectRoleBinding[]>;
  addProjectMember(
    caller: Identity,
    clusterId: string,
    projectId: string,
    principal: string,
    roleTemplateId: string,
  ): Promise<ProjectRoleBinding>;
  changeProjectMemberRole(
    caller: Identity,
    bindingId: string,
    roleTemplateId: string,
  ): Promise<ProjectRoleBinding>;
  removeProjectMember(caller: Identity, bindingId: string): Promise<boolean>;

  /** Sets or clears a namespace's project (needs `update namespaces` in the cluster). */
  moveNamespace(
    caller: Identity,
    clusterId: string,
    namespace: string,
    projectId: string | null,
  ): Promise<void>;

  /**
   * VALIDATION_FAILED (`quota_exceeded`) when putting the namespace into the project would leave
   * a namespace of it without quota; the move itself is made by whoever calls this.
   */
  checkNamespaceMove(
    caller: Identity,
    clusterId: string,
    namespace: string,
    projectId: string | null,
  ): Promise<void>;

  explainAccess(caller: Identity, input: ExplainAccessInput): Promise<AccessExplanationView>;
  syncStatus(caller: Identity, clusterId: string): Promise<RbacSyncStatus | undefined>;
}
