/** explainAccess and the push-down's sync status. */
import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { accessAdmin } from './access-port.js';
import { AccessExplanation, RbacSyncStatus } from './rbac.type.js';

@Resolver()
export class ExplainAccessResolver {
  @Authorized()
  @Query(() => AccessExplanation, {
    description:
      'Which Paddock bindings and which downstream bindings grant `verb resource` to a user in a cluster, or why none does. Anyone may ask about themselves; asking about others needs `list clusterroletemplatebindings` in the cluster.',
  })
  async explainAccess(
    @Ctx() ctx: GraphQLContext,
    @Arg('principal', () => ID, { description: 'A user principal or a Paddock user id.' })
    principal: string,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('verb') verb: string,
    @Arg('resource', {
      description: '`deployments`, `deployments.apps`, `pods/log`, or a path like `/healthz`.',
    })
    resource: string,
    @Arg('namespace', () => String, { nullable: true }) namespace: string | null | undefined,
    @Arg('name', () => String, { nullable: true }) name: string | null | undefined,
  ): Promise<AccessExplanation> {
    const { admin, caller } = accessAdmin(ctx);
    const e = await admin.explainAccess(caller, {
      principal,
      clusterId,
      verb,
      resource,
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
    });
    return {
      ...e,
      groupPrincipalIds: [...e.groupPrincipalIds],
      projectId: e.projectId ?? null,
      paddockGrants: [...e.paddockGrants],
      downstreamGrants: [...e.downstreamGrants],
      notes: [...e.notes],
    };
  }

  @Authorized()
  @Query(() => RbacSyncStatus, {
    nullable: true,
    description: "The RBAC push-down's last outcome for a cluster.",
  })
  async rbacSyncStatus(@Ctx() ctx: GraphQLContext, @Arg('clusterId', () => ID) clusterId: string) {
    const { admin, caller } = accessAdmin(ctx);
    const s = await admin.syncStatus(caller, clusterId);
    if (s === undefined) return null;
    return {
      clusterId: s.clusterId,
      lastAttemptAt: s.lastAttemptAt === undefined ? null : new Date(s.lastAttemptAt),
      lastSyncAt: s.lastSyncAt === undefined ? null : new Date(s.lastSyncAt),
      errors: [...s.errors],
      changes: s.changes,
    };
  }
}
