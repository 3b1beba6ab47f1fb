// Helpers shared by the pod-creating workload controllers (StatefulSet, DaemonSet, Job):
// listing the pods a controller owns, creating one from the pod template with an owner
// reference, readiness, and deletion that tolerates races with clients.

import { createObject, deleteObject, updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import type { ClusterContext } from '../server/context.js';
import { asArray, asObject, type JsonObject, type KubeObject } from '../storage/types.js';

export function typeOf(ctx: ClusterContext, key: string): ResourceType {
  const t = ctx.registry.byKey(key);
  if (!t) throw new Error(`unknown resource ${key}`);
  return t;
}

export function quiet(fn: () => void): void {
  try {
    fn();
  } catch {
    // a client changed the object meanwhile; the resulting write triggers another pass
  }
}

/** Objects of a type in the owner's namespace whose controller reference is the owner. */
export function ownedBy(ctx: ClusterContext, key: string, owner: KubeObject): KubeObject[] {
  const uid = owner.metadata.uid ?? '\u0000';
  return ctx.store
    .list(key, owner.metadata.namespace)
    .filter((s) => s.json.includes(uid))
    .map((s) => JSON.parse(s.json) as KubeObject)
    .filter((o) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.controller));
}

export function isPodReady(pod: KubeObject): boolean {
  const status = asObject(pod.status);
  return (
    !pod.metadata.deletionTimestamp &&
    status.phase === 'Running' &&
    asArray(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

export function isPodFinished(pod: KubeObject): boolean {
  const phase = asObject(pod.status).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): JsonObject {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Creates a pod from the owner's spec.template with extra labels and spec fields. */
export function createPodFromTemplate(
  ctx: ClusterContext,
  owner: KubeObject,
  ref: JsonObject,
  naming: { name?: string; generateName?: string },
  extraLabels: Record<string, string>,
  extraSpec: JsonObject = {},
): void {
  const ns = owner.metadata.namespace ?? '';
  const template = asObject(asObject(owner.spec).template);
  const meta = asObject(template.metadata);
  quiet(() =>
    createObject(ctx, typeOf(ctx, 'pods'), ns, {
      metadata: {
        ...naming,
        namespace: ns,
        labels: { ...asObject(meta.labels), ...extraLabels },
        ...(Object.keys(asObject(meta.annotations)).length > 0
          ? { annotations: asObject(meta.annotations) }
          : {}),
        ownerReferences: [ref],
      },
      spec: { ...(JSON.parse(JSON.stringify(template.spec ?? {})) as JsonObject), ...extraSpec },
    }),
  );
}

export function deletePod(ctx: ClusterContext, pod: KubeObject): void {
  quiet(() =>
    deleteObject(ctx, typeOf(ctx, 'pods'), pod.metadata.namespace ?? '', pod.metadata.name ?? ''),
  );
}

/** Writes status through the status subresource when it differs from the stored one. */
export function writeStatus(
  ctx: ClusterContext,
  key: string,
  obj: KubeObject,
  status: JsonObject,
): void {
  if (JSON.stringify(status) === JSON.stringify(obj.status ?? {})) return;
  quiet(() =>
    updateObject(
      ctx,
      typeOf(ctx, key),
      obj.metadata.namespace ?? '',
      obj.metadata.name ?? '',
      { ...obj, status },
      { raw: true, subresource: 'status' },
    ),
  );
}

/** Whether tolerations admit every NoSchedule/NoExecute taint of a node. */
export function toleratesTaints(tolerations: JsonObject[], taints: JsonObject[]): boolean {
  return taints
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .every((taint) =>
      tolerations.some((t) => {
        if (t.effect && t.effect !== taint.effect) return false;
        if (t.operator === 'Exists') return !t.key || t.key === taint.key;
        return t.key === taint.key && String(t.value ?? '') === String(taint.value ?? '');
      }),
    );
}
