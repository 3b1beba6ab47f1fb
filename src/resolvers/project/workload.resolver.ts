import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { KubeResource } from '../../domain/kube-api.js';
import { KubeFilter } from '../cluster/kube-filter.input.js';
import type { KubeListShape } from '../cluster/kube-object.type.js';
import { R } from '../cluster/kube-resources.js';
import { deadlineArg, type QueryDeadline } from '../cluster/query-deadline.js';
import type { GraphQLContext } from '../context.js';
import { listOf } from './list-query.js';
import { type Pod, PodList, toPod } from './pod.type.js';
import { toWorkload, type Workload, type WorkloadKind, WorkloadList } from './workload.type.js';

export const workloadResources: Record<WorkloadKind, KubeResource> = {
  Deployment: R.deployments,
  StatefulSet: R.statefulSets,
  DaemonSet: R.daemonSets,
  Job: R.jobs,
  CronJob: R.cronJobs,
};

function workloads(
  ctx: GraphQLContext,
  kind: WorkloadKind,
  filter: KubeFilter | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
  deadlineMs: QueryDeadline,
): Promise<KubeListShape<Workload>> {
  return listOf(ctx, workloadResources[kind], { filter, first, after, deadlineMs }, (c, o) =>
    toWorkload(c, kind, o),
  );
}

const filterArg = () => Arg('filter', () => KubeFilter, { nullable: true });
const firstArg = () => Arg('first', () => Int, { nullable: true });
const afterArg = () => Arg('after', () => String, { nullable: true });
type F = KubeFilter | null | undefined;
type N = number | null | undefined;
type S = string | null | undefined;

@Resolver()
export class WorkloadResolver {
  @Authorized()
  @Query(() => WorkloadList, { description: 'Deployments across clusters.' })
  deployments(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
  ) {
    return workloads(ctx, 'Deployment', filter, first, after, deadlineMs);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Stateful sets across clusters.' })
  statefulSets(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
  ) {
    return workloads(ctx, 'StatefulSet', filter, first, after, deadlineMs);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Daemon sets across clusters.' })
  daemonSets(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
  ) {
    return workloads(ctx, 'DaemonSet', filter, first, after, deadlineMs);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Jobs across clusters.' })
  jobs(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
  ) {
    return workloads(ctx, 'Job', filter, first, after, deadlineMs);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Cron jobs across clusters.' })
  cronJobs(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
  ) {
    return workloads(ctx, 'CronJob', filter, first, after, deadlineMs);
  }

  @Authorized()
  @Query(() => PodList, { description: 'Pods across clusters.' })
  pods(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
  ): Promise<KubeListShape<Pod>> {
    return listOf(ctx, R.pods, { filter, first, after, deadlineMs }, toPod);
  }
}
