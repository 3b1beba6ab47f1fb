/**
 * Multi-cluster apps. Who may call what:
 * - `multiClusterApps`, `multiClusterApp`: the owner, holders of global `multiclusterapps`
 *   rights, and members of any target's project;
 * - `createMultiClusterApp`: anyone every target cluster lets create Secrets in the target
 *   namespace (asked as the caller), the namespace being in the named project; the caller
 *   becomes the owner whose current rights the controller acts with;
 * - `updateMultiClusterApp`, `rollbackMultiClusterApp`, `deleteMultiClusterApp`,
 *   `addMultiClusterAppTargets`, `removeMultiClusterAppTargets`: the owner or a holder of
 *   global `multiclusterapps` rights, who may also install in every target the change touches.
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { TargetInput } from '../../domain/multi-cluster-apps.js';
import type { GraphQLContext } from '../context.js';
import { valuesOf } from './app.input.js';
import { appsOf } from './apps-ports.js';
import {
  CreateMultiClusterAppInput,
  MultiClusterAppTargetInput,
  MultiClusterAppTargetRefInput,
  type RolloutInput,
  UpdateMultiClusterAppInput,
} from './multi-cluster-app.input.js';
import { MultiClusterApp, toMultiClusterApp } from './multi-cluster-app.type.js';

function rolloutOf(r: RolloutInput | null | undefined) {
  if (r === undefined || r === null) return undefined;
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== null));
}

function targetOf(t: MultiClusterAppTargetInput): TargetInput {
  const values = valuesOf(t);
  return {
    clusterId: t.clusterId,
    projectId: t.projectId,
    namespace: t.namespace,
    ...(values === undefined ? {} : { values }),
  };
}

@Resolver()
export class MultiClusterAppResolver {
  @Authorized()
  @Query(() => [MultiClusterApp])
  async multiClusterApps(@Ctx() ctx: GraphQLContext): Promise<MultiClusterApp[]> {
    const { apps, caller } = appsOf(ctx);
    return (await apps.multiClusterApps.list(caller)).map(toMultiClusterApp);
  }

  @Authorized()
  @Query(() => MultiClusterApp)
  async multiClusterApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<MultiClusterApp> {
    const { apps, caller } = appsOf(ctx);
    return toMultiClusterApp(await apps.multiClusterApps.get(caller, id));
  }

  @Authorized()
  @Mutation(() => MultiClusterApp, {
    description:
      'Creates an app on every target; the caller needs install rights in each and becomes its owner.',
  })
  async createMultiClusterApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateMultiClusterAppInput) input: CreateMultiClusterAppInput,
  ): Promise<MultiClusterApp> {
    const { apps, caller } = appsOf(ctx);
    const values = valuesOf(input);
    const rollout = rolloutOf(input.rollout);
    return toMultiClusterApp(
      await apps.multiClusterApps.create(caller, {
        name: input.name,
        catalogId: input.catalogId,
        chart: input.chart,
        ...(input.version ? { version: input.version } : {}),
        ...(values === undefined ? {} : { values }),
        targets: input.targets.map(targetOf),
        ...(rollout === undefined ? {} : { rollout }),
      }),
    );
  }

  @Authorized()
  @Mutation(() => MultiClusterApp, {
    description:
      'Upgrades every target to a new version and/or values (a new spec revision), or changes the rollout.',
  })
  async updateMultiClusterApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateMultiClusterAppInput) input: UpdateMultiClusterAppInput,
  ): Promise<MultiClusterApp> {
    const { apps, caller } = appsOf(ctx);
    const values = valuesOf(input);
    const rollout = rolloutOf(input.rollout);
    return toMultiClusterApp(
      await apps.multiClusterApps.update(caller, id, {
        ...(input.version ? { version: input.version } : {}),
        ...(values === undefined ? {} : { values }),
        ...(rollout === undefined ? {} : { rollout }),
      }),
    );
  }

  @Authorized()
  @Mutation(() => MultiClusterApp, {
    description: 'Rolls every target back to a past spec revision.',
  })
  async rollbackMultiClusterApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('revision', () => Int) revision: number,
  ): Promise<MultiClusterApp> {
    const { apps, caller } = appsOf(ctx);
    return toMultiClusterApp(await apps.multiClusterApps.rollback(caller, id, revision));
  }

  @Authorized()
  @Mutation(() => MultiClusterApp)
  async addMultiClusterAppTargets(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('targets', () => [MultiClusterAppTargetInput]) targets: MultiClusterAppTargetInput[],
  ): Promise<MultiClusterApp> {
    const { apps, caller } = appsOf(ctx);
    return toMultiClusterApp(
      await apps.multiClusterApps.addTargets(caller, id, targets.map(targetOf)),
    );
  }

  @Authorized()
  @Mutation(() => MultiClusterApp, {
    description: 'Removes targets; their releases are uninstalled.',
  })
  async removeMultiClusterAppTargets(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('targets', () => [MultiClusterAppTargetRefInput]) targets: MultiClusterAppTargetRefInput[],
  ): Promise<MultiClusterApp> {
    const { apps, caller } = appsOf(ctx);
    return toMultiClusterApp(
      await apps.multiClusterApps.removeTargets(
        caller,
        id,
        targets.map((t) => ({ clusterId: t.clusterId, namespace: t.namespace })),
      ),
    );
  }

  @Authorized()
  @Mutation(() => MultiClusterApp, {
    description: 'Uninstalls from every target, then forgets the app.',
  })
  async deleteMultiClusterApp(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<MultiClusterApp> {
    const { apps, caller } = appsOf(ctx);
    return toMultiClusterApp(await apps.multiClusterApps.remove(caller, id));
  }
}
