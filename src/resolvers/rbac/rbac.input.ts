/** GraphQL inputs of authorization management. */
import { Field, ID, InputType } from 'type-graphql';
import type { PolicyRule, ResourceList } from '../../domain/rbac.js';

@InputType()
export class PolicyRuleInput {
  @Field(() => [String])
  verbs!: string[];

  @Field(() => [String], { nullable: true })
  apiGroups?: string[] | null;

  @Field(() => [String], { nullable: true })
  resources?: string[] | null;

  @Field(() => [String], { nullable: true })
  resourceNames?: string[] | null;

  @Field(() => [String], { nullable: true })
  nonResourceURLs?: string[] | null;
}

@InputType()
export class GlobalRoleInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [PolicyRuleInput])
  rules!: PolicyRuleInput[];

  @Field(() => Boolean, { nullable: true })
  newUserDefault?: boolean | null;

  @Field(() => [ID], { nullable: true })
  inheritedClusterRoles?: string[] | null;
}

@InputType()
export class RoleTemplateInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field({ description: '`cluster` or `project`.' })
  context!: string;

  @Field(() => [PolicyRuleInput])
  rules!: PolicyRuleInput[];

  @Field(() => [ID], { nullable: true })
  inherits?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  locked?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  hidden?: boolean | null;
}

@InputType()
export class ResourceQuantityInput {
  @Field()
  resource!: string;

  @Field()
  quantity!: string;
}

@InputType({
  description: 'Omitted fields stay as they are; an empty list clears quota or limits.',
})
export class ProjectSettingsInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [ResourceQuantityInput], { nullable: true })
  quotaLimit?: ResourceQuantityInput[] | null;

  @Field(() => [ResourceQuantityInput], { nullable: true })
  namespaceDefaultQuota?: ResourceQuantityInput[] | null;

  @Field(() => [ResourceQuantityInput], { nullable: true })
  containerDefaultRequests?: ResourceQuantityInput[] | null;

  @Field(() => [ResourceQuantityInput], { nullable: true })
  containerDefaultLimits?: ResourceQuantityInput[] | null;

  @Field(() => String, {
    nullable: true,
    description: '`privileged`, `baseline`, `restricted`; empty clears.',
  })
  podSecurityEnforce?: string | null;

  @Field(() => String, { nullable: true })
  podSecurityAudit?: string | null;

  @Field(() => String, { nullable: true })
  podSecurityWarn?: string | null;
}

export function toRules(rules: readonly PolicyRuleInput[]): PolicyRule[] {
  return rules.map((r) => ({
    verbs: r.verbs,
    ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}),
    ...(r.resources ? { resources: r.resources } : {}),
    ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
    ...(r.nonResourceURLs ? { nonResourceURLs: r.nonResourceURLs } : {}),
  }));
}

export function toResourceList(list: readonly ResourceQuantityInput[]): ResourceList {
  return Object.fromEntries(list.map((q) => [q.resource, q.quantity]));
}
