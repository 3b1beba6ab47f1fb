// The Job controller: keeps up to spec.parallelism pods running until spec.completions of them
// have succeeded (the simulated kubelet completes job pods), then marks the job complete with
// the SuccessCriteriaMet and Complete conditions of 1.32. Suspended jobs create no pods.

import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { asArray, asObject, asString, type JsonObject } from '../storage/types.js';
import {
  controllerRef,
  createPodFromTemplate,
  isPodFinished,
  isPodReady,
  ownedBy,
  writeStatus,
} from './owned-pods.js';

const JOBS = 'jobs.batch';

function condition(type: string, now: string): JsonObject {
  return {
    type,
    status: 'True',
    lastProbeTime: now,
    lastTransitionTime: now,
    reason: 'CompletionsReached',
    message: 'Reached expected number of succeeded pods',
  };
}

export function syncJob(ctx: ClusterContext, ns: string, name: string): void {
  const job = ctx.store.get(JOBS, ns, name);
  if (!job || job.metadata.deletionTimestamp) return;
  const spec = asObject(job.spec);
  const previous = asObject(job.status);
  if (previous.completionTime) return;
  // A failed job (backoff limit exceeded) starts no more pods.
  if (asArray(previous.conditions).some((c) => c.type === 'Failed' && c.status === 'True')) return;
  const completions = typeof spec.completions === 'number' ? spec.completions : 1;
  const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
  const pods = ownedBy(ctx, 'pods', job).filter((p) => !p.metadata.deletionTimestamp);
  const succeeded = pods.filter((p) => asObject(p.status).phase === 'Succeeded').length;
  const active = pods.filter((p) => !isPodFinished(p));
  const uid = job.metadata.uid ?? '';
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const room = Math.min(parallelism - active.length, completions - succeeded - active.length);
  for (let i = 0; spec.suspend !== true && i < room; i++) {
    createPodFromTemplate(
      ctx,
      job,
      controllerRef(job, 'batch/v1', 'Job'),
      { generateName: `${name}-` },
      labels,
    );
  }
  const now = rfc3339(ctx.now());
  const live = ownedBy(ctx, 'pods', job).filter(
    (p) => !isPodFinished(p) && !p.metadata.deletionTimestamp,
  );
  const done = succeeded >= completions;
  const status: JsonObject = {
    ...(done
      ? { conditions: [condition('SuccessCriteriaMet', now), condition('Complete', now)] }
      : {}),
    startTime: asString(previous.startTime) || now,
    ...(done ? { completionTime: now } : {}),
    ...(!done && live.length > 0 ? { active: live.length } : {}),
    ...(succeeded > 0 ? { succeeded } : {}),
    terminating: 0,
    uncountedTerminatedPods: {},
    ready: done ? 0 : live.filter(isPodReady).length,
  };
  const comparable = (s: JsonObject) =>
    JSON.stringify({ ...s, startTime: '', completionTime: '', conditions: '' });
  if (!done && comparable(status) === comparable(previous)) return;
  writeStatus(ctx, JOBS, job, status);
}
