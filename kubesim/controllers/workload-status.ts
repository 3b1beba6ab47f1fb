// Status for workloads that have no pod-managing controller here (statefulsets, daemonsets,
// jobs): reports the desired state as reached, with observedGeneration, so rollout/wait succeed.

import { updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { asObject, type JsonObject, type KubeObject } from '../storage/types.js';

function nodeCount(ctx: ClusterContext): number {
  return ctx.store.count('nodes');
}

function desiredStatus(
  ctx: ClusterContext,
  t: ResourceType,
  obj: KubeObject,
): JsonObject | undefined {
  const spec = asObject(obj.spec);
  const gen = obj.metadata.generation ?? 1;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  switch (t.resource) {
    case 'statefulsets':
      return {
        observedGeneration: gen,
        replicas,
        readyReplicas: replicas,
        currentReplicas: replicas,
        updatedReplicas: replicas,
        availableReplicas: replicas,
        currentRevision: `${obj.metadata.name}-1`,
        updateRevision: `${obj.metadata.name}-1`,
        collisionCount: 0,
      };
    case 'deployments': {
      const now = rfc3339(ctx.now());
      return {
        observedGeneration: gen,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            lastUpdateTime: now,
            lastTransitionTime: now,
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: now,
            lastTransitionTime: now,
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${obj.metadata.name}" has successfully progressed.`,
          },
        ],
      };
    }
    case 'replicasets':
      return {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        observedGeneration: gen,
      };
    case 'daemonsets': {
      const n = nodeCount(ctx);
      return {
        currentNumberScheduled: n,
        numberMisscheduled: 0,
        desiredNumberScheduled: n,
        numberReady: n,
        observedGeneration: gen,
        updatedNumberScheduled: n,
        numberAvailable: n,
      };
    }
    case 'jobs': {
      const now = rfc3339(ctx.now());
      const completions = typeof spec.completions === 'number' ? spec.completions : 1;
      return {
        conditions: [
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            lastProbeTime: now,
            lastTransitionTime: now,
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: now,
            lastTransitionTime: now,
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
        ],
        startTime: now,
        completionTime: now,
        succeeded: completions,
        terminating: 0,
        uncountedTerminatedPods: {},
        ready: 0,
      };
    }
    default:
      return undefined;
  }
}

export function onWorkloadWritten(ctx: ClusterContext, t: ResourceType, obj: KubeObject): void {
  if (obj.metadata.deletionTimestamp) return;
  const status = asObject(obj.status);
  if (t.resource === 'jobs') {
    if (status.completionTime) return;
  } else if (status.observedGeneration === (obj.metadata.generation ?? 1)) {
    const spec = asObject(obj.spec);
    if (t.resource === 'daemonsets' || status.replicas === spec.replicas) return;
  }
  ctx.later(ctx.timings.podStartMs, () => {
    const current = ctx.store.get(
      `${t.resource}.${t.group}`,
      obj.metadata.namespace ?? '',
      obj.metadata.name ?? '',
    );
    if (!current) return;
    const next = desiredStatus(ctx, t, current);
    if (!next) return;
    try {
      updateObject(
        ctx,
        t,
        current.metadata.namespace ?? '',
        current.metadata.name ?? '',
        { ...current, status: next },
        {
          raw: true,
          subresource: 'status',
        },
      );
    } catch {
      // raced with a client write; the next write triggers us again
    }
  });
}
