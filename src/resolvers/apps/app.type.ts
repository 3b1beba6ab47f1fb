import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  AppOperationEvent,
  AppOperationKind,
  AppOperationState,
  AppOperationView,
  ReleaseDetails,
  ReleaseView,
} from '../../domain/apps.js';
import type { ClusterFailure } from '../../domain/kube-api.js';
import { toClusterError } from '../cluster/cross-cluster-list.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { ClusterError } from '../cluster-error.type.js';
import type { Page } from '../cursor.js';
import { PageInfo } from '../page-info.type.js';
import { AppOperationKindEnum, AppOperationStateEnum } from './apps-enums.js';
import { dateOf } from './apps-ports.js';

@ObjectType({
  description: "A Helm release, read from Helm's records in the cluster as the caller.",
})
export class App {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field(() => ID, { nullable: true, description: '`<clusterId>:<projectId>` of the namespace.' })
  projectId!: string | null;

  @Field()
  name!: string;

  @Field(() => Int)
  revision!: number;

  @Field({ description: "Helm's status: deployed, failed, pending-install, ..." })
  status!: string;

  @Field()
  chartName!: string;

  @Field()
  chartVersion!: string;

  @Field(() => String, { nullable: true })
  appVersion!: string | null;

  @Field()
  description!: string;

  @Field(() => Date, { nullable: true })
  firstDeployedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;

  @Field(() => JSONScalar, { description: 'The values the release was installed with.' })
  values!: unknown;

  @Field(() => ID, { nullable: true, description: 'The catalog Paddock installed it from.' })
  catalogId!: string | null;

  @Field(() => ID, { nullable: true })
  multiClusterAppId!: string | null;
}

export function toApp(v: ReleaseView): App {
  return {
    clusterId: v.clusterId,
    namespace: v.namespace,
    projectId: v.projectId ?? null,
    name: v.name,
    revision: v.revision,
    status: v.status,
    chartName: v.chartName,
    chartVersion: v.chartVersion,
    appVersion: v.appVersion ?? null,
    description: v.description,
    firstDeployedAt: dateOf(v.firstDeployedAt),
    updatedAt: dateOf(v.updatedAt),
    values: v.values,
    catalogId: v.catalogId ?? null,
    multiClusterAppId: v.multiClusterAppId ?? null,
  };
}

@ObjectType({ description: 'One page of releases, and the clusters that could not answer.' })
export class AppList {
  @Field(() => [App])
  items!: App[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Releases in all pages.' })
  totalCount!: number;

  @Field(() => [ClusterError])
  clusterErrors!: ClusterError[];
}

export function toAppList(page: Page<ReleaseView>, errors: readonly ClusterFailure[]): AppList {
  return {
    items: page.items.map(toApp),
    pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    totalCount: page.totalCount,
    clusterErrors: errors.map(toClusterError),
  };
}

@ObjectType()
export class AppRevision {
  @Field(() => Int)
  revision!: number;

  @Field()
  status!: string;

  @Field()
  chartVersion!: string;

  @Field(() => String, { nullable: true })
  appVersion!: string | null;

  @Field()
  description!: string;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;
}

@ObjectType({ description: "An object the release's manifest declares." })
export class AppResource {
  @Field()
  apiVersion!: string;

  @Field()
  kind!: string;

  @Field(() => String, { nullable: true })
  namespace!: string | null;

  @Field()
  name!: string;
}

@ObjectType({ description: 'A release with its notes, history and resources.' })
export class AppDetail extends App {
  @Field()
  notes!: string;

  @Field(() => [AppRevision])
  history!: AppRevision[];

  @Field(() => [AppResource])
  resources!: AppResource[];
}

export function toAppDetail(d: ReleaseDetails): AppDetail {
  return {
    ...toApp(d),
    notes: d.notes,
    history: d.history.map((h) => ({
      revision: h.revision,
      status: h.status,
      chartVersion: h.chartVersion,
      appVersion: h.appVersion ?? null,
      description: h.description,
      updatedAt: dateOf(h.updatedAt),
    })),
    resources: d.resources.map((r) => ({ ...r, namespace: r.namespace ?? null })),
  };
}

@ObjectType({ description: 'A value an upgrade changes, by dotted path.' })
export class ValuesChange {
  @Field()
  path!: string;

  @Field(() => JSONScalar, { nullable: true })
  before!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  after!: unknown;
}

@ObjectType({ description: 'A Helm run Paddock started: its log and final state.' })
export class AppOperation {
  @Field(() => ID)
  id!: string;

  @Field(() => AppOperationKindEnum)
  kind!: AppOperationKind;

  @Field(() => AppOperationStateEnum)
  state!: AppOperationState;

  @Field(() => ID)
  userId!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field()
  releaseName!: string;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => [String])
  log!: string[];

  @Field()
  logTruncated!: boolean;

  @Field(() => [ValuesChange], { nullable: true, description: 'What an upgrade changes.' })
  valuesDiff!: ValuesChange[] | null;
}

export function toAppOperation(v: AppOperationView): AppOperation {
  return {
    id: v.id,
    kind: v.kind,
    state: v.state,
    userId: v.userId,
    clusterId: v.clusterId,
    namespace: v.namespace,
    releaseName: v.releaseName,
    startedAt: new Date(v.startedAt),
    finishedAt: dateOf(v.finishedAt),
    error: v.error ?? null,
    log: [...v.log],
    logTruncated: v.logTruncated,
    valuesDiff:
      v.valuesDiff?.map((c) => ({
        path: c.path,
        before: c.before ?? null,
        after: c.after ?? null,
      })) ?? null,
  };
}

@ObjectType({
  description: 'New log lines of an operation and its state; the last event ends the stream.',
})
export class AppOperationUpdate {
  @Field(() => ID)
  operationId!: string;

  @Field(() => [String])
  lines!: string[];

  @Field(() => AppOperationStateEnum)
  state!: AppOperationState;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

export function toAppOperationUpdate(e: AppOperationEvent): AppOperationUpdate {
  return {
    operationId: e.operationId,
    lines: [...e.lines],
    state: e.state,
    error: e.error ?? null,
  };
}
