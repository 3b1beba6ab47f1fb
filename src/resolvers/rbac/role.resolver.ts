/** Global roles, role templates and global role bindings. */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RoleTemplateContext } from '../../domain/rbac.js';
import { PaddockError } from '../../errors/index.js';
import type { GraphQLContext } from '../context.js';
import { accessAdmin } from './access-port.js';
import { GlobalRoleInput, RoleTemplateInput, toRules } from './rbac.input.js';
import {
  GlobalRole,
  RoleBinding,
  RoleTemplate,
  toGlobalRole,
  toRoleBinding,
  toRoleTemplate,
} from './rbac.type.js';

function context(value: string): RoleTemplateContext {
  if (value === 'cluster' || value === 'project') return value;
  throw new PaddockError('VALIDATION_FAILED', 'context is `cluster` or `project`', {
    reason: 'invalid_context',
  });
}

const globalInput = (input: GlobalRoleInput) => ({
  id: input.id,
  rules: toRules(input.rules),
  ...(input.displayName != null ? { displayName: input.displayName } : {}),
  ...(input.description != null ? { description: input.description } : {}),
  ...(input.newUserDefault != null ? { newUserDefault: input.newUserDefault } : {}),
  ...(input.inheritedClusterRoles != null
    ? { inheritedClusterRoles: input.inheritedClusterRoles }
    : {}),
});

const templateInput = (input: RoleTemplateInput) => ({
  id: input.id,
  context: context(input.context),
  rules: toRules(input.rules),
  ...(input.displayName != null ? { displayName: input.displayName } : {}),
  ...(input.description != null ? { description: input.description } : {}),
  ...(input.inherits != null ? { inherits: input.inherits } : {}),
  ...(input.locked != null ? { locked: input.locked } : {}),
  ...(input.hidden != null ? { hidden: input.hidden } : {}),
});

@Resolver()
export class RoleResolver {
  @Authorized()
  @Query(() => [GlobalRole], {
    description: 'Built-in and custom global roles (needs `list globalroles`).',
  })
  async globalRoles(@Ctx() ctx: GraphQLContext): Promise<GlobalRole[]> {
    const { admin, caller } = accessAdmin(ctx);
    return (await admin.globalRoles(caller)).map(toGlobalRole);
  }

  @Authorized()
  @Mutation(() => GlobalRole)
  async createGlobalRole(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => GlobalRoleInput) input: GlobalRoleInput,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return toGlobalRole(await admin.createGlobalRole(caller, globalInput(input)));
  }

  @Authorized()
  @Mutation(() => GlobalRole, {
    description: "A built-in's rules are fixed; only `newUserDefault` changes.",
  })
  async updateGlobalRole(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => GlobalRoleInput) input: GlobalRoleInput,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return toGlobalRole(await admin.updateGlobalRole(caller, globalInput(input)));
  }

  @Authorized()
  @Mutation(() => Boolean)
  async deleteGlobalRole(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    const { admin, caller } = accessAdmin(ctx);
    return admin.deleteGlobalRole(caller, id);
  }

  @Authorized()
  @Query(() => [RoleBinding], {
    description: 'Every global role binding (needs `list globalrolebindings`).',
  })
  async globalRoleBindings(@Ctx() ctx: GraphQLContext): Promise<RoleBinding[]> {
    const { admin, caller } = accessAdmin(ctx);
    return (await admin.globalRoleBindings(caller)).map(toRoleBinding);
  }

  @Authorized()
  @Mutation(() => RoleBinding, {
    description: 'Grants a global role to a user or group principal.',
  })
  async bindGlobalRole(
    @Ctx() ctx: GraphQLContext,
    @Arg('principalId', () => ID) principalId: string,
    @Arg('globalRoleId', () => ID) globalRoleId: string,
  ): Promise<RoleBinding> {
    const { admin, caller } = accessAdmin(ctx);
    return toRoleBinding(await admin.bindGlobalRole(caller, principalId, globalRoleId));
  }

  @Authorized()
  @Mutation(() => Boolean)
  async unbindGlobalRole(
    @Ctx() ctx: GraphQLContext,
    @Arg('bindingId', () => ID) bindingId: string,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return admin.unbindGlobalRole(caller, bindingId);
  }

  @Authorized()
  @Query(() => [RoleTemplate], { description: 'Built-in and custom role templates.' })
  async roleTemplates(@Ctx() ctx: GraphQLContext): Promise<RoleTemplate[]> {
    const { admin, caller } = accessAdmin(ctx);
    return (await admin.roleTemplates(caller)).map(toRoleTemplate);
  }

  @Authorized()
  @Mutation(() => RoleTemplate, {
    description: 'Rules are validated; inheritance cycles are refused.',
  })
  async createRoleTemplate(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => RoleTemplateInput) input: RoleTemplateInput,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return toRoleTemplate(await admin.createRoleTemplate(caller, templateInput(input)));
  }

  @Authorized()
  @Mutation(() => RoleTemplate, { description: 'A built-in can only be locked or unlocked.' })
  async updateRoleTemplate(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => RoleTemplateInput) input: RoleTemplateInput,
  ) {
    const { admin, caller } = accessAdmin(ctx);
    return toRoleTemplate(await admin.updateRoleTemplate(caller, templateInput(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Refused while the template is bound or included.' })
  async deleteRoleTemplate(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    const { admin, caller } = accessAdmin(ctx);
    return admin.deleteRoleTemplate(caller, id);
  }
}
