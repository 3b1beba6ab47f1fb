// A simulated scheduler + kubelet: binds pending pods to nodes, starts them (Pending -> Running
// with container statuses and conditions) and completes graceful deletions.

import { purgeObject, randomHex, updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { asArray, asObject, asString, type JsonObject, type KubeObject } from '../storage/types.js';
import { toleratesTaints } from './owned-pods.js';

function podType(ctx: ClusterContext): ResourceType {
  const t = ctx.registry.byKey('pods');
  if (!t) throw new Error('pods not registered');
  return t;
}

function pickNode(ctx: ClusterContext, pod: KubeObject): JsonObject | undefined {
  const nodes = ctx.store
    .list('nodes')
    .map((s) => JSON.parse(s.json) as JsonObject)
    .filter((n) => {
      const ready = asArray(asObject(n.status).conditions).find((c) => c.type === 'Ready');
      return (
        ready?.status === 'True' &&
        asObject(n.spec).unschedulable !== true &&
        toleratesTaints(asArray(asObject(pod.spec).tolerations), asArray(asObject(n.spec).taints))
      );
    });
  if (nodes.length === 0) return undefined;
  const uid = pod.metadata.uid ?? '';
  let h = 0;
  for (const ch of uid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return nodes[h % nodes.length];
}

function nodeIp(node: JsonObject): string {
  return asString(
    asArray(asObject(node.status).addresses).find((a) => a.type === 'InternalIP')?.address,
  );
}

/** The status a kubelet reports for a running pod. */
export function runningStatus(
  ctx: ClusterContext,
  spec: JsonObject,
  hostIP: string,
  qosClass: string,
  started: Date,
): JsonObject {
  const t = rfc3339(started);
  const podIP = ctx.allocatePodIp();
  const cond = (type: string) => ({
    type,
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: t,
  });
  return {
    phase: 'Running',
    conditions: [
      cond('PodReadyToStartContainers'),
      cond('Initialized'),
      cond('Ready'),
      cond('ContainersReady'),
      cond('PodScheduled'),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: t,
    containerStatuses: asArray(spec.containers).map((c) => ({
      name: c.name,
      state: { running: { startedAt: t } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: String(c.image ?? '').includes(':') ? c.image : `${String(c.image)}:latest`,
      imageID: `docker.io/library/${String(c.image ?? '')}@sha256:${randomHex(64)}`,
      containerID: `containerd://${randomHex(64)}`,
      started: true,
    })),
    qosClass,
  };
}

function isFresh(pod: KubeObject): boolean {
  const status = asObject(pod.status);
  return status.phase === 'Pending' && asArray(status.containerStatuses).length === 0;
}

export function onPodWritten(
  ctx: ClusterContext,
  pod: KubeObject,
  previous: KubeObject | undefined,
): void {
  const ns = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  if (pod.metadata.deletionTimestamp) {
    if (!previous?.metadata.deletionTimestamp) {
      ctx.later(ctx.timings.podDeleteMs, () => purgeObject(ctx, podType(ctx), ns, name));
    }
    return;
  }
  if (previous || !isFresh(pod)) return;
  ctx.later(ctx.timings.podStartMs, () => {
    const current = ctx.store.get('pods', ns, name);
    if (!current || current.metadata.uid !== pod.metadata.uid || !isFresh(current)) return;
    const spec = asObject(current.spec);
    let nodeName = asString(spec.nodeName);
    let hostIP = '';
    if (!nodeName) {
      const node = pickNode(ctx, current);
      if (!node) {
        const status = {
          ...asObject(current.status),
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: rfc3339(ctx.now()),
              reason: 'Unschedulable',
              message: '0/0 nodes are available: no nodes available to schedule pods.',
            },
          ],
        };
        try {
          updateObject(
            ctx,
            podType(ctx),
            ns,
            name,
            { ...current, status },
            { raw: true, subresource: 'status' },
          );
        } catch {
          // deleted meanwhile
        }
        return;
      }
      nodeName = asString(asObject(node.metadata).name);
      hostIP = nodeIp(node);
    } else {
      const node = ctx.store.get('nodes', '', nodeName);
      hostIP = node ? nodeIp(node as unknown as JsonObject) : '10.0.0.1';
    }
    const next: KubeObject = {
      ...current,
      spec: { ...spec, nodeName },
      status: runningStatus(
        ctx,
        spec,
        hostIP,
        asString(asObject(current.status).qosClass, 'BestEffort'),
        ctx.now(),
      ),
    };
    try {
      updateObject(ctx, podType(ctx), ns, name, next, { raw: true });
    } catch {
      // deleted meanwhile
      return;
    }
    if (runsToCompletion(next)) {
      ctx.later(ctx.timings.podStartMs, () => completePod(ctx, ns, name, pod.metadata.uid ?? ''));
    }
  });
}

/** Job pods (restartPolicy Never/OnFailure) run their simulated command to completion. */
function runsToCompletion(pod: KubeObject): boolean {
  const isJobPod = (pod.metadata.ownerReferences ?? []).some(
    (r) => r.controller && r.kind === 'Job',
  );
  return isJobPod && asObject(pod.spec).restartPolicy !== 'Always';
}

function completePod(ctx: ClusterContext, ns: string, name: string, uid: string): void {
  const current = ctx.store.get('pods', ns, name);
  if (!current || current.metadata.uid !== uid || current.metadata.deletionTimestamp) return;
  const status = asObject(current.status);
  if (status.phase !== 'Running') return;
  const now = rfc3339(ctx.now());
  const cond = (type: string, value: string, reason?: string) => ({
    type,
    status: value,
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
  });
  const next: KubeObject = {
    ...current,
    status: {
      ...status,
      phase: 'Succeeded',
      conditions: [
        cond('PodReadyToStartContainers', 'False'),
        cond('Initialized', 'True', 'PodCompleted'),
        cond('Ready', 'False', 'PodCompleted'),
        cond('ContainersReady', 'False', 'PodCompleted'),
        cond('PodScheduled', 'True'),
      ],
      containerStatuses: asArray(status.containerStatuses).map((c) => ({
        ...c,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: asString(asObject(asObject(c.state).running).startedAt, now),
            finishedAt: now,
            containerID: c.containerID,
          },
        },
        ready: false,
        started: false,
      })),
    },
  };
  try {
    updateObject(ctx, podType(ctx), ns, name, next, { raw: true, subresource: 'status' });
  } catch {
    // deleted meanwhile
  }
}
