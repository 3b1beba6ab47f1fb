/** Cluster and project members, and project settings (quota, limits, Pod Security). */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ProjectInput } from '../../domain/access-admin.js';
import type { PodSecurity, PodSecurityLevel, Project } from '../../domain/rbac.js';
import type { GraphQLContext } from '../context.js';
import { accessAdmin } from './access-port.js';
import { ProjectSettingsInput, toResourceList } from './rbac.input.js';
import { ProjectSettings, RoleBinding, toProjectSettings, toRoleBinding } from './rbac.type.js';

/** Merges the given settings fields onto the current project (`undefined` = create). */
export function projectInput(
  input: ProjectSettingsInput,
  current?: Project,
): Partial<ProjectInput> {
  const out: { -readonly [K in keyof ProjectInput]?: ProjectInput[K] } = {};
  if (input.name != null) out.name = input.name;
  if (input.description != null) out.description = input.description;
  if (input.quotaLimit != null || input.namespaceDefaultQuota != null) {
    const limit =
      input.quotaLimit != null ? toResourceList(input.quotaLimit) : (current?.quota?.limit ?? {});
    const namespaceDefault =
      input.namespaceDefaultQuota != null
        ? toResourceList(input.namespaceDefaultQuota)
        : (current?.quota?.namespaceDefault ?? {});
    out.quota = Object.keys(limit).length === 0 ? null : { limit, namespaceDefault };
  }
  if (input.containerDefaultRequests != null || input.containerDefaultLimits != null) {
    const requests =
      input.containerDefaultRequests != null
        ? toResourceList(input.containerDefaultRequests)
        : (current?.containerDefaults?.requests ?? {});
    const limits =
      input.containerDefaultLimits != null
        ? toResourceList(input.containerDefaultLimits)
        : (current?.containerDefaults?.limits ?? {});
    out.containerDefaults =
      Object.keys(requests).length + Object.keys(limits).length === 0 ? null : { requests, limits };
  }
  const modes = {
    enforce: input.podSecurityEnforce,
    audit: input.podSecurityAudit,
    warn: input.podSecurityWarn,
  };
  if (Object.values(modes).some((v) => v != null)) {
    const next: { -readonly [K in keyof PodSecurity]?: PodSecurityLevel } = {
      ...current?.podSecurity,
    };
    for (const [mode, level] of Object.entries(modes) as [
      keyof PodSecurity,
      string | null | undefined,
    ][]) {
      if (level === '') delete next[mode];
      else if (level != null) next[mode] = level as PodSecurityLevel;
    }
    out.podSecurity = Object.keys(next).length === 0 ? null : next;
  }
  return out;
}

@Resolver()
export class MembershipResolver {
  @Authorized()
  @Query(() => [RoleBinding], { description: "A cluster's members (cluster role bindings)." })
  async clusterMembers(@Ctx() ctx: GraphQLContext, @Arg('clusterId', () => ID) clusterId: string) {
    const { admin, caller } = accessAdmin(ctx);
    return (await admin.clusterMembers(caller, clusterId)).map(toRoleBinding);
  }

  @Authorized()
  @Mutation(() => RoleBinding, {
    description: 'Adds a principal (from a principal search) to a cluster.',
  })
  async addClusterMember(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('principalId', () => ID) principalId: string,
    @Arg('roleTemplateId', () => ID) roleTemplateId: string,
  ): Promise<RoleBinding> {
    const { admin, caller } = accessAdmin(ctx);
    return toRoleBinding(
      await admin.addClusterMember(caller, clusterId, principalId, roleTemplateId),
    );
  }

  @Authorized()
  @Mutation(() => RoleBinding, {
    description: 'Replaces the binding with one of another template.',
  })
  async changeClusterMemberRole(
    @Ctx() ctx: GraphQLContext,
    @Arg('bindingId', () => ID) bindingId: string,
    @Arg('roleTemplateId', () => ID) roleTemplateId: string,
  ): Promise<RoleBinding> {
    const { admin, caller } = accessAdmin(ctx);
    return toRoleBinding(await admin.changeClusterMemberRole(caller, bindingId, roleTemplateId));
  }

  @Authorized()
  @Mutation(() => Boolean)
  async removeClusterMember(
    @Ctx() ctx: GraphQLContext,
    @Arg('bindingId', () => ID) bindingId: string,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return admin.removeClusterMember(caller, bindingId);
  }

  @Authorized()
  @Query(() => [RoleBinding], { description: "A project's members (project role bindings)." })
  async projectMembers(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('projectId', () => ID) projectId: string,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return (await admin.projectMembers(caller, clusterId, projectId)).map(toRoleBinding);
  }

  @Authorized()
  @Mutation(() => RoleBinding)
  async addProjectMember(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('projectId', () => ID) projectId: string,
    @Arg('principalId', () => ID) principalId: string,
    @Arg('roleTemplateId', () => ID) roleTemplateId: string,
  ): Promise<RoleBinding> {
    const { admin, caller } = accessAdmin(ctx);
    return toRoleBinding(
      await admin.addProjectMember(caller, clusterId, projectId, principalId, roleTemplateId),
    );
  }

  @Authorized()
  @Mutation(() => RoleBinding)
  async changeProjectMemberRole(
    @Ctx() ctx: GraphQLContext,
    @Arg('bindingId', () => ID) bindingId: string,
    @Arg('roleTemplateId', () => ID) roleTemplateId: string,
  ): Promise<RoleBinding> {
    const { admin, caller } = accessAdmin(ctx);
    return toRoleBinding(await admin.changeProjectMemberRole(caller, bindingId, roleTemplateId));
  }

  @Authorized()
  @Mutation(() => Boolean)
  async removeProjectMember(
    @Ctx() ctx: GraphQLContext,
    @Arg('bindingId', () => ID) bindingId: string,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return admin.removeProjectMember(caller, bindingId);
  }

  @Authorized()
  @Query(() => [ProjectSettings], {
    description: "A cluster's projects the caller may see, with their settings.",
  })
  async projectSettings(@Ctx() ctx: GraphQLContext, @Arg('clusterId', () => ID) clusterId: string) {
    const { admin, caller } = accessAdmin(ctx);
    return (await admin.projects(caller, clusterId)).map(toProjectSettings);
  }

  @Authorized()
  @Mutation(() => ProjectSettings, {
    description: 'Creates a project; its creator becomes project-owner.',
  })
  async createProject(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('input', () => ProjectSettingsInput) input: ProjectSettingsInput,
  ): Promise<ProjectSettings> {
    const { admin, caller } = accessAdmin(ctx);
    const fields = projectInput(input);
    const created = await admin.createProject(caller, clusterId, {
      ...fields,
      name: fields.name ?? '',
    });
    return toProjectSettings(created);
  }

  @Authorized()
  @Mutation(() => ProjectSettings, {
    description: 'A quota must fit the namespaces the project has.',
  })
  async updateProject(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('projectId', () => ID) projectId: string,
    @Arg('input', () => ProjectSettingsInput) input: ProjectSettingsInput,
  ): Promise<ProjectSettings> {
    const { admin, caller } = accessAdmin(ctx);
    const current = await admin.project(caller, clusterId, projectId);
    return toProjectSettings(
      await admin.updateProject(caller, clusterId, projectId, projectInput(input, current)),
    );
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Deletes the project and its bindings; namespaces stay.',
  })
  async deleteProject(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('projectId', () => ID) projectId: string,
  ): Promise<boolean> {
    const { admin, caller } = accessAdmin(ctx);
    return admin.deleteProject(caller, clusterId, projectId);
  }
}
