/** GraphQL object types of authorization management (global roles, templates, members). */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  BindingSubject,
  ClusterRoleBinding,
  GlobalRoleBinding as GlobalRoleBindingRecord,
  GlobalRole as GlobalRoleRecord,
  PolicyRule as PolicyRuleRecord,
  Project,
  ProjectRoleBinding,
  ResourceList,
  RoleTemplate as RoleTemplateRecord,
} from '../../domain/rbac.js';

@ObjectType({ description: 'A Kubernetes RBAC PolicyRule.' })
export class PolicyRule {
  @Field(() => [String])
  verbs!: string[];

  @Field(() => [String])
  apiGroups!: string[];

  @Field(() => [String])
  resources!: string[];

  @Field(() => [String])
  resourceNames!: string[];

  @Field(() => [String])
  nonResourceURLs!: string[];
}

@ObjectType({ description: "A global role: rules over Paddock's own objects." })
export class GlobalRole {
  @Field(() => ID)
  id!: string;

  @Field()
  displayName!: string;

  @Field()
  description!: string;

  @Field(() => [PolicyRule])
  rules!: PolicyRule[];

  @Field({ description: 'Granted to every new user.' })
  newUserDefault!: boolean;

  @Field()
  builtin!: boolean;

  @Field(() => [ID], { description: 'Cluster role templates the role holds in every cluster.' })
  inheritedClusterRoles!: string[];
}

@ObjectType({ description: 'Kubernetes rules for a cluster or a project, with inheritance.' })
export class RoleTemplate {
  @Field(() => ID)
  id!: string;

  @Field()
  displayName!: string;

  @Field()
  description!: string;

  @Field({ description: '`cluster` or `project`.' })
  context!: string;

  @Field(() => [PolicyRule])
  rules!: PolicyRule[];

  @Field(() => [ID])
  inherits!: string[];

  @Field()
  builtin!: boolean;

  @Field({ description: 'A locked template keeps its bindings but cannot be newly bound.' })
  locked!: boolean;

  @Field()
  hidden!: boolean;
}

@ObjectType({ description: 'A role granted to a user or a group principal.' })
export class RoleBinding {
  @Field(() => ID)
  id!: string;

  @Field({ description: '`global`, `cluster` or `project`.' })
  scope!: string;

  @Field(() => ID, { nullable: true })
  clusterId!: string | null;

  @Field(() => ID, { nullable: true })
  projectId!: string | null;

  @Field(() => ID, { description: 'The global role or role template bound.' })
  roleId!: string;

  @Field({ description: '`user` or `group`.' })
  subjectKind!: string;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The group principal, or the user principal it was added as.',
  })
  principalId!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: 'A Kubernetes quantity for one resource name.' })
export class ResourceQuantity {
  @Field({ description: 'e.g. `pods`, `limits.cpu`, `memory`.' })
  resource!: string;

  @Field({ description: 'e.g. `10`, `500m`, `2Gi`.' })
  quantity!: string;
}

@ObjectType({ description: "A project's settings as Paddock manages them." })
export class ProjectSettings {
  @Field(() => ID, { description: '`<clusterId>:<projectId>`.' })
  id!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field(() => ID)
  projectId!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => [ResourceQuantity], { description: 'What all its namespaces may use together.' })
  quotaLimit!: ResourceQuantity[];

  @Field(() => [ResourceQuantity], { description: 'What each namespace gets.' })
  namespaceDefaultQuota!: ResourceQuantity[];

  @Field(() => [ResourceQuantity])
  containerDefaultRequests!: ResourceQuantity[];

  @Field(() => [ResourceQuantity])
  containerDefaultLimits!: ResourceQuantity[];

  @Field(() => String, { nullable: true, description: 'Pod Security Admission `enforce` level.' })
  podSecurityEnforce!: string | null;

  @Field(() => String, { nullable: true })
  podSecurityAudit!: string | null;

  @Field(() => String, { nullable: true })
  podSecurityWarn!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ description: 'One grant found by explainAccess.' })
export class ExplainedGrant {
  @Field({
    description:
      'Paddock: globalRole, inheritedClusterRole, clusterBinding, projectBinding; downstream: ClusterRoleBinding, RoleBinding.',
  })
  kind!: string;

  @Field({ description: 'Paddock binding id, or the downstream `namespace/name`.' })
  id!: string;

  @Field()
  role!: string;

  @Field()
  subject!: string;

  @Field({ description: 'The matching rule as JSON.' })
  rule!: string;

  @Field()
  paddockOwned!: boolean;
}

@ObjectType({ description: 'Which bindings grant a request, or why none does.' })
export class AccessExplanation {
  @Field({ description: 'What the downstream API server decides (what kubectl gets).' })
  allowed!: boolean;

  @Field({ description: "What Paddock's bindings say it should decide." })
  allowedByPaddock!: boolean;

  @Field()
  request!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => [ID])
  groupPrincipalIds!: string[];

  @Field(() => ID, { nullable: true })
  projectId!: string | null;

  @Field(() => [ExplainedGrant])
  paddockGrants!: ExplainedGrant[];

  @Field(() => [ExplainedGrant])
  downstreamGrants!: ExplainedGrant[];

  @Field(() => [String])
  notes!: string[];
}

@ObjectType({ description: "The RBAC push-down's last outcome for one cluster." })
export class RbacSyncStatus {
  @Field(() => ID)
  clusterId!: string;

  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the cluster last matched Paddock.' })
  lastSyncAt!: Date | null;

  @Field(() => [String])
  errors!: string[];

  @Field(() => Int)
  changes!: number;
}

export function toRule(r: PolicyRuleRecord): PolicyRule {
  return {
    verbs: [...r.verbs],
    apiGroups: [...(r.apiGroups ?? [])],
    resources: [...(r.resources ?? [])],
    resourceNames: [...(r.resourceNames ?? [])],
    nonResourceURLs: [...(r.nonResourceURLs ?? [])],
  };
}

export function toGlobalRole(r: GlobalRoleRecord): GlobalRole {
  return { ...r, rules: r.rules.map(toRule), inheritedClusterRoles: [...r.inheritedClusterRoles] };
}

export function toRoleTemplate(t: RoleTemplateRecord): RoleTemplate {
  return { ...t, rules: t.rules.map(toRule), inherits: [...t.inherits] };
}

function subjectFields(s: BindingSubject) {
  return s.kind === 'user'
    ? { subjectKind: 'user', userId: s.userId, principalId: s.principalId ?? null }
    : { subjectKind: 'group', userId: null, principalId: s.principalId };
}

export function toRoleBinding(
  b: GlobalRoleBindingRecord | ClusterRoleBinding | ProjectRoleBinding,
): RoleBinding {
  const place =
    'globalRoleId' in b
      ? { scope: 'global', clusterId: null, projectId: null, roleId: b.globalRoleId }
      : 'projectId' in b
        ? {
            scope: 'project',
            clusterId: b.clusterId,
            projectId: b.projectId,
            roleId: b.roleTemplateId,
          }
        : { scope: 'cluster', clusterId: b.clusterId, projectId: null, roleId: b.roleTemplateId };
  return { id: b.id, ...place, ...subjectFields(b.subject), createdAt: new Date(b.createdAt) };
}

const quantities = (list: ResourceList | undefined): ResourceQuantity[] =>
  Object.entries(list ?? {}).map(([resource, quantity]) => ({ resource, quantity }));

export function toProjectSettings(p: Project): ProjectSettings {
  return {
    id: `${p.clusterId}:${p.id}`,
    clusterId: p.clusterId,
    projectId: p.id,
    name: p.name,
    description: p.description,
    quotaLimit: quantities(p.quota?.limit),
    namespaceDefaultQuota: quantities(p.quota?.namespaceDefault),
    containerDefaultRequests: quantities(p.containerDefaults?.requests),
    containerDefaultLimits: quantities(p.containerDefaults?.limits),
    podSecurityEnforce: p.podSecurity?.enforce ?? null,
    podSecurityAudit: p.podSecurity?.audit ?? null,
    podSecurityWarn: p.podSecurity?.warn ?? null,
    createdAt: new Date(p.createdAt),
    updatedAt: new Date(p.updatedAt),
  };
}
