/**
 * Apps (Helm releases). Reads go to Helm's records as the caller, so `apps` shows what
 * `helm list` would show that caller. Who may call the mutations: anyone the target cluster
 * lets read the release's records and create Secrets in the namespace (checked as the caller
 * before anything starts; a refusal is a FORBIDDEN error with the cluster's reason) and who may
 * read the catalog; Helm then runs with a short-lived credential of the caller, so the cluster
 * decides each request. An operation is visible to whoever started it and to administrators.
 */
import {
  Arg,
  Authorized,
  Ctx,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { boundedStream } from '../cluster/subscription-limits.js';
import type { GraphQLContext } from '../context.js';
import { paginate } from '../cursor.js';
import {
  AppFilterInput,
  AppRefInput,
  InstallAppInput,
  UpgradeAppInput,
  valuesOf,
} from './app.input.js';
import {
  AppDetail,
  AppList,
  AppOperation,
  AppOperationUpdate,
  toAppDetail,
  toAppList,
  toAppOperation,
  toAppOperationUpdate,
} from './app.type.js';
import { appsOf } from './apps-ports.js';

function defined<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null),
  ) as T;
}

@Resolver()
export class AppResolver {
  @Authorized()
  @Query(() => AppList, {
    description:
      'Helm releases in every cluster and namespace the caller may read them, including those installed outside Paddock.',
  })
  async apps(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => AppFilterInput, { nullable: true }) filter?: AppFilterInput,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<AppList> {
    const { apps, caller } = appsOf(ctx);
    const list = await apps.releases.list(caller, defined({ ...(filter ?? {}) }));
    const page = paginate(list.items, (a) => [a.clusterId, a.namespace, a.name], {
      first: first ?? null,
      after: after ?? null,
    });
    return toAppList(page, list.clusterErrors);
  }

  @Authorized()
  @Query(() => AppDetail, { description: 'One release with its notes, history and resources.' })
  async app(
    @Ctx() ctx: GraphQLContext,
    @Arg('ref', () => AppRefInput) ref: AppRefInput,
  ): Promise<AppDetail> {
    const { apps, caller } = appsOf(ctx);
    return toAppDetail(await apps.releases.get(caller, { ...ref }));
  }

  @Authorized()
  @Query(() => AppOperation, {
    description: 'An operation the caller started (administrators: any).',
  })
  async appOperation(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<AppOperation> {
    const { apps, caller } = appsOf(ctx);
    return toAppOperation(await apps.releases.operation(caller, id));
  }

  @Authorized()
  @Mutation(() => AppOperation, {
    description:
      "Installs a chart as the caller (Helm through Paddock's proxy). Values are checked against the chart's schema first; answers with the running operation.",
  })
  async installApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => InstallAppInput) input: InstallAppInput,
  ): Promise<AppOperation> {
    const { apps, caller } = appsOf(ctx);
    const values = valuesOf(input);
    return toAppOperation(
      await apps.releases.install(caller, {
        clusterId: input.clusterId,
        namespace: input.namespace,
        name: input.name,
        catalogId: input.catalogId,
        chart: input.chart,
        ...defined({
          version: input.version,
          wait: input.wait,
          timeoutSeconds: input.timeoutSeconds,
        }),
        ...(values === undefined ? {} : { values }),
      }),
    );
  }

  @Authorized()
  @Mutation(() => AppOperation, {
    description: 'Upgrades a release as the caller; the operation carries the values diff.',
  })
  async upgradeApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => UpgradeAppInput) input: UpgradeAppInput,
  ): Promise<AppOperation> {
    const { apps, caller } = appsOf(ctx);
    const values = valuesOf(input);
    return toAppOperation(
      await apps.releases.upgrade(caller, {
        clusterId: input.clusterId,
        namespace: input.namespace,
        name: input.name,
        ...defined({
          catalogId: input.catalogId,
          chart: input.chart,
          version: input.version,
          wait: input.wait,
          timeoutSeconds: input.timeoutSeconds,
        }),
        ...(values === undefined ? {} : { values }),
      }),
    );
  }

  @Authorized()
  @Mutation(() => AppOperation, {
    description: 'Rolls a release back to a revision, as the caller.',
  })
  async rollbackApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('ref', () => AppRefInput) ref: AppRefInput,
    @Arg('revision', () => Int) revision: number,
  ): Promise<AppOperation> {
    const { apps, caller } = appsOf(ctx);
    return toAppOperation(await apps.releases.rollback(caller, { ...ref }, revision));
  }

  @Authorized()
  @Mutation(() => AppOperation, { description: 'Uninstalls a release, as the caller.' })
  async uninstallApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('ref', () => AppRefInput) ref: AppRefInput,
  ): Promise<AppOperation> {
    const { apps, caller } = appsOf(ctx);
    return toAppOperation(await apps.releases.uninstall(caller, { ...ref }));
  }

  @Subscription(() => AppOperationUpdate, {
    description: "An operation's log lines as Helm writes them, then its final state.",
    subscribe: ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const { apps, caller } = appsOf(ctx);
      return boundedStream<AppOperationUpdate>(ctx, async (channel, signal) => {
        const events = await apps.releases.followOperation(caller, args.id as string, signal);
        for await (const e of events) channel.push(toAppOperationUpdate(e));
        channel.end();
      });
    },
  })
  appOperationUpdates(
    @Root() update: AppOperationUpdate,
    @Arg('id', () => ID) _id: string,
  ): AppOperationUpdate {
    return update;
  }
}
