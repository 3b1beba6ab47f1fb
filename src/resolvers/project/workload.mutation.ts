import { Arg, Authorized, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { isKubeApiError, KubeApiError } from '../../domain/kube-api.js';
import { kubeClient, visibleCluster } from '../cluster/kube-access.js';
import { R } from '../cluster/kube-resources.js';
import { dnsLabel, invalid, nonNegativeInt } from '../cluster/validate-input.js';
import type { GraphQLContext } from '../context.js';
import { defaultImageRegistry, imageWithRegistry } from './image-registry.js';
import { DeployWorkloadInput, WorkloadRefInput } from './workload.input.js';
import { workloadResources } from './workload.resolver.js';
import { toWorkload, Workload, type WorkloadKind } from './workload.type.js';
import { workloadManifest } from './workload-manifest.js';

const REVISION = 'deployment.kubernetes.io/revision';

async function target(ctx: GraphQLContext, ref: WorkloadRefInput) {
  await visibleCluster(ctx, ref.clusterId);
  return {
    kube: kubeClient(ctx),
    resource: workloadResources[ref.kind],
    namespace: dnsLabel('namespace', ref.namespace),
    name: ref.name,
  };
}

async function patchWorkload(
  ctx: GraphQLContext,
  ref: WorkloadRefInput,
  patch: unknown,
): Promise<Workload> {
  const t = await target(ctx, ref);
  const obj = await t.kube.patch(ref.clusterId, t.resource, t.namespace, t.name, patch, 'merge');
  return toWorkload(ref.clusterId, ref.kind, obj);
}

function only(kind: WorkloadKind, allowed: WorkloadKind[], what: string): void {
  if (!allowed.includes(kind)) throw invalid('kind', `${what} is not possible for a ${kind}`);
}

@Resolver()
export class WorkloadMutationResolver {
  @Authorized()
  @Mutation(() => Workload, {
    description:
      'Creates a workload as the caller; when it exists, replaces its pod template and size. An image naming no registry is pulled from the default-image-registry setting.',
  })
  async deployWorkload(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => DeployWorkloadInput) input: DeployWorkloadInput,
  ): Promise<Workload> {
    await visibleCluster(ctx, input.clusterId);
    const kind = input.kind ?? 'Deployment';
    const registry = await defaultImageRegistry(ctx.ports.settings);
    const manifest = workloadManifest({
      ...input,
      image: imageWithRegistry(input.image, registry),
    });
    const kube = kubeClient(ctx);
    const resource = workloadResources[kind];
    try {
      const created = await kube.create(input.clusterId, resource, input.namespace, manifest);
      return toWorkload(input.clusterId, kind, created);
    } catch (err) {
      if (!(isKubeApiError(err) && err.kubeCode === 'CONFLICT')) throw err;
    }
    // It exists: keep what the cluster owns (status, selector), replace what the input says.
    const current = await kube.get(input.clusterId, resource, input.namespace, input.name);
    const next: KubeObject = {
      ...current,
      metadata: {
        ...current.metadata,
        labels: { ...current.metadata.labels, ...manifest.metadata.labels },
      },
      spec: {
        ...(current.spec as object),
        ...(manifest.spec as object),
        selector: (current.spec as { selector?: unknown }).selector,
      },
    };
    if ((next.spec as { selector?: unknown }).selector === undefined)
      delete (next.spec as { selector?: unknown }).selector;
    const replaced = await kube.replace(input.clusterId, resource, input.namespace, next);
    return toWorkload(input.clusterId, kind, replaced);
  }

  @Authorized()
  @Mutation(() => Workload, { description: 'Sets the number of replicas (jobs: parallelism).' })
  scaleWorkload(
    @Ctx() ctx: GraphQLContext,
    @Arg('workload', () => WorkloadRefInput) ref: WorkloadRefInput,
    @Arg('replicas', () => Int) replicas: number,
  ): Promise<Workload> {
    only(ref.kind, ['Deployment', 'StatefulSet', 'Job'], 'scaling');
    const n = nonNegativeInt('replicas', replicas);
    return patchWorkload(
      ctx,
      ref,
      ref.kind === 'Job' ? { spec: { parallelism: n } } : { spec: { replicas: n } },
    );
  }

  @Authorized()
  @Mutation(() => Workload, {
    description: 'Restarts every pod with the same spec, like `kubectl rollout restart`.',
  })
  redeployWorkload(
    @Ctx() ctx: GraphQLContext,
    @Arg('workload', () => WorkloadRefInput) ref: WorkloadRefInput,
  ): Promise<Workload> {
    only(ref.kind, ['Deployment', 'StatefulSet', 'DaemonSet'], 'redeploying');
    const at = new Date(ctx.now()).toISOString();
    return patchWorkload(ctx, ref, {
      spec: {
        template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } },
      },
    });
  }

  @Authorized()
  @Mutation(() => Workload, {
    description:
      'Rolls a deployment back to the pod template of a revision, like `kubectl rollout undo`.',
  })
  async rollbackWorkload(
    @Ctx() ctx: GraphQLContext,
    @Arg('workload', () => WorkloadRefInput) ref: WorkloadRefInput,
    @Arg('revision', () => Int) revision: number,
  ): Promise<Workload> {
    only(ref.kind, ['Deployment'], 'rolling back');
    const t = await target(ctx, ref);
    const deployment = await t.kube.get(ref.clusterId, t.resource, t.namespace, t.name);
    const sets = await t.kube.list(ref.clusterId, R.replicaSets, { namespace: t.namespace });
    const owned = sets.items.filter((rs) =>
      rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid),
    );
    const match = owned.find((rs) => rs.metadata.annotations?.[REVISION] === String(revision));
    if (match === undefined) {
      throw new KubeApiError(
        ref.clusterId,
        'NOT_FOUND',
        `deployment ${t.name} has no revision ${revision}`,
      );
    }
    const template = structuredClone((match.spec as { template: KubeObject }).template);
    delete template.metadata?.labels?.['pod-template-hash'];
    const obj = await t.kube.patch(
      ref.clusterId,
      t.resource,
      t.namespace,
      t.name,
      [{ op: 'replace', path: '/spec/template', value: template }],
      'json',
    );
    return toWorkload(ref.clusterId, ref.kind, obj);
  }

  @Authorized()
  @Mutation(() => Workload, {
    description: "Pauses a deployment's rollout, or suspends a job or cron job.",
  })
  pauseWorkload(
    @Ctx() ctx: GraphQLContext,
    @Arg('workload', () => WorkloadRefInput) ref: WorkloadRefInput,
  ): Promise<Workload> {
    only(ref.kind, ['Deployment', 'Job', 'CronJob'], 'pausing');
    return patchWorkload(
      ctx,
      ref,
      ref.kind === 'Deployment' ? { spec: { paused: true } } : { spec: { suspend: true } },
    );
  }

  @Authorized()
  @Mutation(() => Workload, { description: 'Resumes what pauseWorkload paused.' })
  resumeWorkload(
    @Ctx() ctx: GraphQLContext,
    @Arg('workload', () => WorkloadRefInput) ref: WorkloadRefInput,
  ): Promise<Workload> {
    only(ref.kind, ['Deployment', 'Job', 'CronJob'], 'resuming');
    return patchWorkload(
      ctx,
      ref,
      ref.kind === 'Deployment' ? { spec: { paused: false } } : { spec: { suspend: false } },
    );
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Deletes a workload and, in the background, its pods.' })
  async deleteWorkload(
    @Ctx() ctx: GraphQLContext,
    @Arg('workload', () => WorkloadRefInput) ref: WorkloadRefInput,
  ): Promise<boolean> {
    const t = await target(ctx, ref);
    await t.kube.delete(ref.clusterId, t.resource, t.namespace, t.name, {
      propagationPolicy: 'Background',
    });
    return true;
  }
}
