import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { PROJECT_ID_KEY, PROJECT_ID_PATTERN } from '../../rbac/project-label.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import { JSONScalar } from './json.scalar.js';
import { kubeClient, visibleCluster } from './kube-access.js';
import { R } from './kube-resources.js';
import { Namespace, toNamespace } from './namespace.type.js';
import { dnsLabel, invalid, stringMap } from './validate-input.js';

/** Label and annotation of project membership (`null` removes them). */
function projectMarks(clusterId: string, projectId: string | null | undefined) {
  if (projectId === null || projectId === undefined) {
    return { labels: { [PROJECT_ID_KEY]: null }, annotations: { [PROJECT_ID_KEY]: null } };
  }
  const bare = projectId.includes(':')
    ? projectId.slice(projectId.lastIndexOf(':') + 1)
    : projectId;
  if (projectId.includes(':') && !projectId.startsWith(`${clusterId}:`)) {
    throw invalid('projectId', 'the project belongs to another cluster');
  }
  if (!PROJECT_ID_PATTERN.test(bare)) throw invalid('projectId', 'must look like p-<id>');
  return {
    labels: { [PROJECT_ID_KEY]: `${clusterId}_${bare}` },
    annotations: { [PROJECT_ID_KEY]: `${clusterId}:${bare}` },
  };
}

/**
 * Refuses, before the namespace is written, a move into a project whose quota has no room for
 * it (it would take the quota of a namespace already there). `p-abc` or `<cluster>:p-abc`.
 */
async function checkQuotaRoom(
  ctx: GraphQLContext,
  clusterId: string,
  namespace: string,
  projectId: string | null | undefined,
): Promise<void> {
  if (projectId === null || projectId === undefined || ctx.ports.accessAdmin === undefined) return;
  const bare = projectId.slice(projectId.lastIndexOf(':') + 1);
  await ctx.ports.accessAdmin.checkNamespaceMove(requireIdentity(ctx), clusterId, namespace, bare);
}

@Resolver()
export class NamespaceMutationResolver {
  @Authorized()
  @Mutation(() => Namespace, {
    description: 'Creates a namespace as the caller, optionally in a project.',
  })
  async createNamespace(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('name') name: string,
    @Arg('projectId', () => ID, { nullable: true }) projectId: string | null | undefined,
    @Arg('labels', () => JSONScalar, { nullable: true }) labels: unknown,
  ): Promise<Namespace> {
    await visibleCluster(ctx, clusterId);
    const marks = projectId ? projectMarks(clusterId, projectId) : { labels: {}, annotations: {} };
    await checkQuotaRoom(ctx, clusterId, dnsLabel('name', name), projectId);
    const created = await kubeClient(ctx).create(clusterId, R.namespaces, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: dnsLabel('name', name),
        labels: { ...stringMap('labels', labels), ...(marks.labels as Record<string, string>) },
        annotations: marks.annotations as Record<string, string>,
      },
    });
    return toNamespace(clusterId, created);
  }

  @Authorized()
  @Mutation(() => Namespace, {
    description: 'Moves a namespace into a project (or out of any, with projectId null).',
  })
  async moveNamespace(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('name') name: string,
    @Arg('projectId', () => ID, { nullable: true }) projectId: string | null | undefined,
  ): Promise<Namespace> {
    await visibleCluster(ctx, clusterId);
    const marks = projectMarks(clusterId, projectId);
    await checkQuotaRoom(ctx, clusterId, dnsLabel('name', name), projectId);
    const patched = await kubeClient(ctx).patch(
      clusterId,
      R.namespaces,
      undefined,
      dnsLabel('name', name),
      { metadata: marks },
      'merge',
    );
    return toNamespace(clusterId, patched);
  }
}
