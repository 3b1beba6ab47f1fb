/** Logging targets at cluster and project scope, their test, and the collector's push status. */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { LoggingAdmin } from '../../domain/logging.js';
import { PaddockError } from '../../errors/index.js';
import { toolScope } from '../alerting/tool-scope.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import {
  LoggingPushStatusView,
  LoggingTargetInputType,
  LoggingTargetView,
  LoggingTestResultView,
  toPushStatus,
  toTarget,
  toTargetInput,
  toTestResult,
} from './logging.type.js';

function logging(ctx: GraphQLContext) {
  const caller = requireIdentity(ctx);
  const admin: LoggingAdmin | undefined = ctx.ports.logging;
  if (admin === undefined)
    throw new PaddockError('INTERNAL', 'logging is not configured', { reason: 'not_configured' });
  return { admin, caller };
}

@Resolver()
export class LoggingResolver {
  @Authorized()
  @Query(() => [LoggingTargetView], { description: "A cluster's logging targets, or a project's." })
  async loggingTargets(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
  ): Promise<LoggingTargetView[]> {
    const { admin, caller } = logging(ctx);
    return (await admin.targets(caller, toolScope(clusterId, projectId))).map(toTarget);
  }

  @Authorized()
  @Query(() => LoggingPushStatusView, {
    nullable: true,
    description: 'Null before the first push.',
  })
  async loggingStatus(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
  ): Promise<LoggingPushStatusView | null> {
    const { admin, caller } = logging(ctx);
    const status = await admin.pushStatus(caller, clusterId);
    return status ? toPushStatus(status) : null;
  }

  @Authorized()
  @Mutation(() => LoggingTargetView)
  async createLoggingTarget(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('input', () => LoggingTargetInputType) input: LoggingTargetInputType,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
  ): Promise<LoggingTargetView> {
    const { admin, caller } = logging(ctx);
    return toTarget(
      await admin.createTarget(caller, toolScope(clusterId, projectId), toTargetInput(input)),
    );
  }

  @Authorized()
  @Mutation(() => LoggingTargetView)
  async updateLoggingTarget(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => LoggingTargetInputType) input: LoggingTargetInputType,
  ): Promise<LoggingTargetView> {
    const { admin, caller } = logging(ctx);
    return toTarget(await admin.updateTarget(caller, id, toTargetInput(input)));
  }

  @Authorized()
  @Mutation(() => Boolean)
  async deleteLoggingTarget(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    const { admin, caller } = logging(ctx);
    return admin.deleteTarget(caller, id);
  }

  @Authorized()
  @Mutation(() => LoggingTestResultView, {
    description: 'Sends one record from Paddock to the target.',
  })
  async testLoggingTarget(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<LoggingTestResultView> {
    const { admin, caller } = logging(ctx);
    return toTestResult(await admin.testTarget(caller, id));
  }
}
