/** Notifiers of a cluster: CRUD (secrets go in, never come back) and "send test notification". */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { NotifierInputType, toNotifierInput } from './alerting.input.js';
import { NotifierDeliveryView, NotifierView, toDelivery, toNotifier } from './alerting.type.js';
import { alertingAdmin } from './alerting-port.js';
import { toolScope } from './tool-scope.js';

@Resolver()
export class NotifierResolver {
  @Authorized()
  @Query(() => [NotifierView], {
    description: "A cluster's notifiers; with projectId, as a member of that project.",
  })
  async notifiers(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
  ): Promise<NotifierView[]> {
    const { admin, caller } = alertingAdmin(ctx);
    const scope = toolScope(clusterId, projectId);
    return (await admin.notifiers(caller, clusterId, scope.projectId)).map(toNotifier);
  }

  @Authorized()
  @Mutation(() => NotifierView)
  async createNotifier(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('input', () => NotifierInputType) input: NotifierInputType,
  ): Promise<NotifierView> {
    const { admin, caller } = alertingAdmin(ctx);
    return toNotifier(await admin.createNotifier(caller, clusterId, toNotifierInput(input)));
  }

  @Authorized()
  @Mutation(() => NotifierView, { description: 'Secrets left out keep their stored values.' })
  async updateNotifier(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => NotifierInputType) input: NotifierInputType,
  ): Promise<NotifierView> {
    const { admin, caller } = alertingAdmin(ctx);
    return toNotifier(await admin.updateNotifier(caller, id, toNotifierInput(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'False when there was no such notifier.' })
  async deleteNotifier(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    const { admin, caller } = alertingAdmin(ctx);
    return admin.deleteNotifier(caller, id);
  }

  @Authorized()
  @Mutation(() => NotifierDeliveryView, {
    description: "Sends a test notification now; the result is also the notifier's lastDelivery.",
  })
  async sendTestNotification(
    @Ctx() ctx: GraphQLContext,
    @Arg('notifierId', () => ID) notifierId: string,
  ): Promise<NotifierDeliveryView> {
    const { admin, caller } = alertingAdmin(ctx);
    return toDelivery(await admin.testNotifier(caller, notifierId));
  }
}
