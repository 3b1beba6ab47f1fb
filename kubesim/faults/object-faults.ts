// Faults in a cluster's objects, as a kubelet or controller would report them: a node NotReady,
// under memory/disk/PID pressure or cordoned; a container crash-looping (restart count,
// CrashLoopBackOff, a BackOff Warning event); a Job failed (BackoffLimitExceeded); any Warning
// event. Each is a status write through the normal store path, so watches see it.

import { createObject, updateObject } from '../api/object-service.js';
import { typeOf } from '../controllers/owned-pods.js';
import { type ClusterContext, rfc3339 } from '../server/context.js';
import { asArray, asObject, type JsonObject, type KubeObject } from '../storage/types.js';

export interface NodeFault {
  /** false: NotReady (kubelet stopped posting status); true: Ready again. */
  ready?: boolean;
  memoryPressure?: boolean;
  diskPressure?: boolean;
  pidPressure?: boolean;
  /** spec.unschedulable (kubectl cordon / uncordon). */
  cordoned?: boolean;
}

export interface CrashLoopFault {
  /** Restart count to report; default one more than now. */
  restarts?: number;
  /** Container name; default every container. */
  container?: string;
  /** false: the container runs again (restart count kept). */
  crashing?: boolean;
}

export interface WarningEvent {
  namespace: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string; namespace?: string; apiVersion?: string };
  /** Default Warning. */
  type?: 'Warning' | 'Normal';
  count?: number;
}

function notFound(what: string): Error {
  return Object.assign(new Error(`${what} not found`), { status: 404 });
}

const PRESSURE: [keyof NodeFault, string, string, string][] = [
  [
    'memoryPressure',
    'MemoryPressure',
    'KubeletHasInsufficientMemory',
    'KubeletHasSufficientMemory',
  ],
  ['diskPressure', 'DiskPressure', 'KubeletHasDiskPressure', 'KubeletHasNoDiskPressure'],
  ['pidPressure', 'PIDPressure', 'KubeletHasInsufficientPID', 'KubeletHasSufficientPID'],
];

/** Changes node conditions and schedulability; returns the node as written. */
export function setNodeFault(ctx: ClusterContext, name: string, fault: NodeFault): KubeObject {
  const node = ctx.store.get('nodes', '', name);
  if (!node) throw notFound(`node ${name}`);
  const now = rfc3339(ctx.now());
  const status = asObject(node.status);
  const conditions = asArray(status.conditions).map((c) => ({ ...c }));
  const set = (type: string, value: string, reason: string, message: string) => {
    const existing = conditions.find((c) => c.type === type);
    const next = { type, status: value, reason, message, lastHeartbeatTime: now };
    if (existing) {
      if (existing.status !== value) Object.assign(existing, next, { lastTransitionTime: now });
      else Object.assign(existing, next);
    } else conditions.push({ ...next, lastTransitionTime: now });
  };
  for (const [key, type, onReason, offReason] of PRESSURE) {
    const value = fault[key];
    if (value === undefined) continue;
    set(type, value ? 'True' : 'False', value ? onReason : offReason, `kubesim: ${type} ${value}`);
  }
  if (fault.ready !== undefined) {
    if (fault.ready) set('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status');
    else set('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.');
  }
  let written = node;
  if (fault.cordoned !== undefined) {
    const spec = { ...asObject(node.spec) };
    if (fault.cordoned) spec.unschedulable = true;
    else delete spec.unschedulable;
    written = updateObject(
      ctx,
      typeOf(ctx, 'nodes'),
      '',
      name,
      { ...node, spec },
      { raw: true },
    ).obj;
  }
  return updateObject(
    ctx,
    typeOf(ctx, 'nodes'),
    '',
    name,
    { ...written, status: { ...status, conditions } },
    { raw: true, subresource: 'status' },
  ).obj;
}

/** Makes a pod's containers crash-loop (or run again) and records the kubelet's BackOff event. */
export function setCrashLoop(
  ctx: ClusterContext,
  namespace: string,
  name: string,
  fault: CrashLoopFault,
): KubeObject {
  const pod = ctx.store.get('pods', namespace, name);
  if (!pod) throw notFound(`pod ${namespace}/${name}`);
  const now = rfc3339(ctx.now());
  const status = asObject(pod.status);
  const crashing = fault.crashing !== false;
  const statuses = asArray(status.containerStatuses).map((c) => {
    if (fault.container !== undefined && c.name !== fault.container) return c;
    const restarts =
      fault.restarts ?? (typeof c.restartCount === 'number' ? c.restartCount : 0) + 1;
    return crashing
      ? {
          ...c,
          ready: false,
          started: false,
          restartCount: restarts,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 5m0s restarting failed container=${String(c.name)} pod=${name}_${namespace}`,
            },
          },
          lastState: {
            terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now },
          },
        }
      : {
          ...c,
          ready: true,
          started: true,
          restartCount: restarts,
          state: { running: { startedAt: now } },
        };
  });
  const ready = statuses.every((c) => c.ready === true) ? 'True' : 'False';
  const conditions = asArray(status.conditions).map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady'
      ? { ...c, status: ready, lastTransitionTime: c.status === ready ? c.lastTransitionTime : now }
      : c,
  );
  const written = updateObject(
    ctx,
    typeOf(ctx, 'pods'),
    namespace,
    name,
    { ...pod, status: { ...status, containerStatuses: statuses, conditions } },
    { raw: true, subresource: 'status' },
  ).obj;
  if (crashing) {
    recordEvent(ctx, {
      namespace,
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      involvedObject: { kind: 'Pod', name, namespace, apiVersion: 'v1' },
    });
  }
  return written;
}

/** Marks a Job failed as the Job controller does when its backoff limit is exceeded. */
export function failJob(ctx: ClusterContext, namespace: string, name: string): KubeObject {
  const job = ctx.store.get('jobs.batch', namespace, name);
  if (!job) throw notFound(`job ${namespace}/${name}`);
  const now = rfc3339(ctx.now());
  const spec = asObject(job.spec);
  const condition = (type: string): JsonObject => ({
    type,
    status: 'True',
    lastProbeTime: now,
    lastTransitionTime: now,
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
  });
  const status = {
    ...asObject(job.status),
    conditions: [condition('FailureTarget'), condition('Failed')],
    failed: (typeof spec.backoffLimit === 'number' ? spec.backoffLimit : 6) + 1,
    active: 0,
    ready: 0,
  };
  const written = updateObject(
    ctx,
    typeOf(ctx, 'jobs.batch'),
    namespace,
    name,
    { ...job, status },
    { raw: true, subresource: 'status' },
  ).obj;
  recordEvent(ctx, {
    namespace,
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
    involvedObject: { kind: 'Job', name, namespace, apiVersion: 'batch/v1' },
  });
  return written;
}

/** Writes a core/v1 Event, as a component reporting something would. */
export function recordEvent(ctx: ClusterContext, event: WarningEvent): KubeObject {
  const now = rfc3339(ctx.now());
  const involved = event.involvedObject;
  return createObject(
    ctx,
    typeOf(ctx, 'events'),
    event.namespace,
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.name}.${ctx.newUid().replace(/-/g, '').slice(0, 16)}`,
        namespace: event.namespace,
      },
      involvedObject: { namespace: event.namespace, ...involved },
      reason: event.reason,
      message: event.message,
      type: event.type ?? 'Warning',
      count: event.count ?? 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'kubesim' },
      reportingComponent: 'kubesim',
    },
    { raw: true },
  );
}
