import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { KubeResource } from '../../domain/kube-api.js';
import { KubeOrder } from '../cluster/fleet-list.type.js';
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
  orderBy: KubeOrder | null | undefined,
): Promise<KubeListShape<Workload>> {
  return listOf(
    ctx,
    workloadResources[kind],
    { filter, first, after, deadlineMs, orderBy },
    (c, o) => toWorkload(c, kind, o),
  );
}

const filterArg = () => Arg('filter', () => KubeFilter, { nullable: true });
const firstArg = () => Arg('first', () => Int, { nullable: true });
const afterArg = () => Arg('after', () => String, { nullable: true });
const orderArg = () =>
  Arg('orderBy', () => KubeOrder, {
    nullable: true,
    description: 'Sort order (fleet index); default: by cluster, then namespace and name.',
  });
type O = KubeOrder | null | undefined;
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
    @orderArg() orderBy: O,
  ) {
    return workloads(ctx, 'Deployment', filter, first, after, deadlineMs, orderBy);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Stateful sets across clusters.' })
  statefulSets(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
    @orderArg() orderBy: O,
  ) {
    return workloads(ctx, 'StatefulSet', filter, first, after, deadlineMs, orderBy);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Daemon sets across clusters.' })
  daemonSets(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
    @orderArg() orderBy: O,
  ) {
    return workloads(ctx, 'DaemonSet', filter, first, after, deadlineMs, orderBy);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Jobs across clusters.' })
  jobs(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
    @orderArg() orderBy: O,
  ) {
    return workloads(ctx, 'Job', filter, first, after, deadlineMs, orderBy);
  }

  @Authorized()
  @Query(() => WorkloadList, { description: 'Cron jobs across clusters.' })
  cronJobs(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
    @orderArg() orderBy: O,
  ) {
    return workloads(ctx, 'CronJob', filter, first, after, deadlineMs, orderBy);
  }

  @Authorized()
  @Query(() => PodList, { description: 'Pods across clusters.' })
  pods(
    @Ctx() ctx: GraphQLContext,
    @filterArg() filter: F,
    @firstArg() first: N,
    @afterArg() after: S,
    @deadlineArg() deadlineMs: QueryDeadline,
    @orderArg() orderBy: O,
  ): Promise<KubeListShape<Pod>> {
    return listOf(ctx, R.pods, { filter, first, after, deadlineMs, orderBy }, toPod);
  }
}
