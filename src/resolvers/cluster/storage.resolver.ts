import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { crossClusterList } from './cross-cluster-list.js';
import { KubeOrder } from './fleet-list.type.js';
import { KubeFilter } from './kube-filter.input.js';
import type { KubeListShape } from './kube-object.type.js';
import { R } from './kube-resources.js';
import { deadlineArg, type QueryDeadline } from './query-deadline.js';
import {
  type PersistentVolume,
  PersistentVolumeList,
  type StorageClass,
  StorageClassList,
  toPersistentVolume,
  toStorageClass,
} from './storage.type.js';

@Resolver()
export class StorageResolver {
  @Authorized()
  @Query(() => StorageClassList, { description: 'Storage classes across clusters.' })
  async storageClasses(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<KubeListShape<StorageClass>> {
    const page = await crossClusterList(ctx, {
      resource: R.storageClasses,
      filter,
      first,
      after,
      deadlineMs,
      orderBy,
      ignoreNamespaces: true,
    });
    return { ...page, items: page.items.map((i) => toStorageClass(i.clusterId, i.object)) };
  }

  @Authorized()
  @Query(() => PersistentVolumeList, { description: 'Persistent volumes across clusters.' })
  async persistentVolumes(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<KubeListShape<PersistentVolume>> {
    const page = await crossClusterList(ctx, {
      resource: R.persistentVolumes,
      filter,
      first,
      after,
      deadlineMs,
      orderBy,
      ignoreNamespaces: true,
    });
    return { ...page, items: page.items.map((i) => toPersistentVolume(i.clusterId, i.object)) };
  }
}
