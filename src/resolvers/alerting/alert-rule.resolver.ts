/** Alert rules at cluster and project scope, their alerts, and the alert subscription. */
import {
  Arg,
  Authorized,
  Ctx,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { AlertState } from '../../domain/alerting.js';
import type { EventChannel } from '../cluster/event-channel.js';
import { boundedStream } from '../cluster/subscription-limits.js';
import type { GraphQLContext } from '../context.js';
import { AlertRuleInputType, toRuleInput } from './alerting.input.js';
import { AlertChangeView, AlertRuleView, AlertView, toAlert, toRule } from './alerting.type.js';
import { AlertStateEnum } from './alerting-enums.js';
import { alertingAdmin } from './alerting-port.js';
import { toolScope } from './tool-scope.js';

const scopeOf = toolScope;

@Resolver()
export class AlertRuleResolver {
  @Authorized()
  @Query(() => [AlertRuleView], {
    description: "A cluster's alert rules, or a project's with projectId.",
  })
  async alertRules(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
  ): Promise<AlertRuleView[]> {
    const { admin, caller } = alertingAdmin(ctx);
    return (await admin.rules(caller, scopeOf(clusterId, projectId))).map(toRule);
  }

  @Authorized()
  @Query(() => [AlertView], {
    description: 'Alerts the caller may see (all clusters without clusterId), newest first.',
  })
  async alerts(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID, { nullable: true }) clusterId?: string | null,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
    @Arg('states', () => [AlertStateEnum], { nullable: true }) states?: AlertState[] | null,
  ): Promise<AlertView[]> {
    const { admin, caller } = alertingAdmin(ctx);
    const alerts = await admin.alerts(caller, {
      ...(clusterId ? toolScope(clusterId, projectId) : projectId ? { projectId } : {}),
      ...(states ? { states } : {}),
    });
    return alerts.map(toAlert);
  }

  @Authorized()
  @Mutation(() => AlertRuleView, {
    description: 'Creates a rule in a cluster, or a project with projectId.',
  })
  async createAlertRule(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('input', () => AlertRuleInputType) input: AlertRuleInputType,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
  ): Promise<AlertRuleView> {
    const { admin, caller } = alertingAdmin(ctx);
    return toRule(
      await admin.createRule(caller, scopeOf(clusterId, projectId), toRuleInput(input)),
    );
  }

  @Authorized()
  @Mutation(() => AlertRuleView)
  async updateAlertRule(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AlertRuleInputType) input: AlertRuleInputType,
  ): Promise<AlertRuleView> {
    const { admin, caller } = alertingAdmin(ctx);
    return toRule(await admin.updateRule(caller, id, toRuleInput(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'False when there was no such rule.' })
  async deleteAlertRule(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    const { admin, caller } = alertingAdmin(ctx);
    return admin.deleteRule(caller, id);
  }

  @Authorized()
  @Mutation(() => AlertRuleView, {
    description: "Silences a rule's notifications until a time; null until unmutes.",
  })
  async muteAlertRule(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('until', () => Date, { nullable: true }) until?: Date | null,
  ): Promise<AlertRuleView> {
    const { admin, caller } = alertingAdmin(ctx);
    return toRule(await admin.muteRule(caller, id, until ? until.getTime() : null));
  }

  @Subscription(() => AlertChangeView, {
    description:
      'Alert changes the caller may see: the current alerts first (as `updated`), then every change.',
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const { admin, caller } = alertingAdmin(ctx);
      const filter = args.clusterId
        ? toolScope(args.clusterId as string, args.projectId as string | undefined)
        : {};
      // Registered (and authorized) before the stream opens, so a refusal is the answer to
      // the subscribe call itself; changes arriving meanwhile wait in `early`.
      const early: AlertChangeView[] = [];
      let target: EventChannel<AlertChangeView> | undefined;
      const stop = await admin.watchAlerts(caller, filter, (change) => {
        const view = { type: change.type, alert: toAlert(change.alert) };
        if (target) target.push(view);
        else early.push(view);
      });
      try {
        return boundedStream<AlertChangeView>(ctx, async (channel, signal) => {
          try {
            for (const alert of await admin.alerts(caller, filter))
              channel.push({ type: 'updated', alert: toAlert(alert) });
            for (const view of early.splice(0)) channel.push(view);
            target = channel;
            await new Promise<void>((resolve) =>
              signal.addEventListener('abort', () => resolve(), { once: true }),
            );
          } finally {
            stop();
          }
        });
      } catch (err) {
        stop();
        throw err;
      }
    },
  })
  alertChanges(
    @Root() change: AlertChangeView,
    @Arg('clusterId', () => ID, { nullable: true }) _clusterId?: string | null,
    @Arg('projectId', () => ID, { nullable: true }) _projectId?: string | null,
  ): AlertChangeView {
    return change;
  }
}
