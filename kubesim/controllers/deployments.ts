// Deployment and ReplicaSet controllers: a deployment owns one ReplicaSet per pod template
// (named <deployment>-<pod-template-hash>, numbered by the revision annotation); the current one
// is scaled to spec.replicas and older ones to 0; ReplicaSets create and delete their pods; the
// status of both is rolled up from the pods the simulated kubelet runs. Enough for kubectl
// rollout status/restart/undo/history and scale.

import { createObject, deleteObject, updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import { podTemplateHash } from '../seed/builders.js';
import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { fromLabelSelectorObject, matchLabels } from '../storage/selectors.js';
import { asArray, asObject, type JsonObject, type KubeObject } from '../storage/types.js';

const DEPLOY = 'deployments.apps';
const RS = 'replicasets.apps';
const REVISION = 'deployment.kubernetes.io/revision';

function type(ctx: ClusterContext, key: string): ResourceType {
  const t = ctx.registry.byKey(key);
  if (!t) throw new Error(`unknown resource ${key}`);
  return t;
}

function owned(ctx: ClusterContext, key: string, owner: KubeObject): KubeObject[] {
  return ctx.store
    .list(key, owner.metadata.namespace)
    .filter((s) => s.json.includes(owner.metadata.uid ?? '\u0000'))
    .map((s) => JSON.parse(s.json) as KubeObject)
    .filter((o) =>
      (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller),
    );
}

function quiet(fn: () => void): void {
  try {
    fn();
  } catch {
    // a client changed the object meanwhile; the resulting write triggers another pass
  }
}

function templateWithoutHash(template: unknown): JsonObject {
  const t = JSON.parse(JSON.stringify(template ?? {})) as JsonObject;
  const labels = asObject(asObject(t.metadata).labels);
  delete labels['pod-template-hash'];
  return t;
}

function isReady(pod: KubeObject): boolean {
  const status = asObject(pod.status);
  return (
    !pod.metadata.deletionTimestamp &&
    status.phase === 'Running' &&
    asArray(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** Reconciles a deployment's ReplicaSets and status. */
export function syncDeployment(ctx: ClusterContext, ns: string, name: string): void {
  const d = ctx.store.get(DEPLOY, ns, name);
  if (!d || d.metadata.deletionTimestamp) return;
  const spec = asObject(d.spec);
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const template = templateWithoutHash(spec.template);
  const hash = podTemplateHash(template);
  const sets = owned(ctx, RS, d);
  let current = sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const maxRevision = Math.max(
    0,
    ...sets.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)),
  );
  const revision = current
    ? Number(current.metadata.annotations?.[REVISION] ?? 1)
    : maxRevision + 1;
  const wantAnnotations = {
    'deployment.kubernetes.io/desired-replicas': String(replicas),
    'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
    [REVISION]: String(
      current && revision <= maxRevision && revision !== maxRevision ? maxRevision + 1 : revision,
    ),
  };
  const rsType = type(ctx, RS);
  if (!current) {
    const labels = {
      ...asObject(asObject(template.metadata).labels),
      'pod-template-hash': hash,
    } as Record<string, string>;
    const selector = asObject(spec.selector);
    current = createObject(
      ctx,
      rsType,
      ns,
      {
        metadata: {
          name: `${name}-${hash}`,
          namespace: ns,
          labels,
          annotations: wantAnnotations,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name,
              uid: d.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas,
          minReadySeconds: spec.minReadySeconds ?? 0,
          selector: {
            ...selector,
            matchLabels: { ...asObject(selector.matchLabels), 'pod-template-hash': hash },
          },
          template: { ...template, metadata: { ...asObject(template.metadata), labels } },
        },
      },
      { raw: true },
    );
  } else if (
    asObject(current.spec).replicas !== replicas ||
    current.metadata.annotations?.[REVISION] !== wantAnnotations[REVISION]
  ) {
    const next = {
      ...current,
      metadata: {
        ...current.metadata,
        annotations: { ...current.metadata.annotations, ...wantAnnotations },
      },
      spec: { ...asObject(current.spec), replicas },
    };
    const cur = current;
    quiet(() => updateObject(ctx, rsType, ns, cur.metadata.name ?? '', next, { raw: true }));
  }
  for (const old of sets) {
    if (old.metadata.name === current.metadata.name || asObject(old.spec).replicas === 0) continue;
    quiet(() =>
      updateObject(
        ctx,
        rsType,
        ns,
        old.metadata.name ?? '',
        { ...old, spec: { ...asObject(old.spec), replicas: 0 } },
        { raw: true },
      ),
    );
  }
  updateDeploymentStatus(ctx, ns, name, current.metadata.name ?? '', wantAnnotations[REVISION]);
}

function updateDeploymentStatus(
  ctx: ClusterContext,
  ns: string,
  name: string,
  currentRs: string,
  revision: string,
): void {
  const d = ctx.store.get(DEPLOY, ns, name);
  if (!d) return;
  const sets = owned(ctx, RS, d);
  const replicas = Number(asObject(d.spec).replicas ?? 1);
  let total = 0;
  let ready = 0;
  let updated = 0;
  for (const rs of sets) {
    const st = asObject(rs.status);
    total += Number(st.replicas ?? 0);
    ready += Number(st.readyReplicas ?? 0);
    if (rs.metadata.name === currentRs) updated = Number(st.replicas ?? 0);
  }
  const now = rfc3339(ctx.now());
  const complete = updated === replicas && total === replicas && ready === replicas;
  const prev = asArray(asObject(d.status).conditions);
  const cond = (type: string, status: string, reason: string, message: string) => {
    const old = prev.find((c) => c.type === type);
    const transition = old && old.status === status ? old.lastTransitionTime : now;
    return {
      type,
      status,
      lastUpdateTime: old && old.reason === reason ? old.lastUpdateTime : now,
      lastTransitionTime: transition,
      reason,
      message,
    };
  };
  const status: JsonObject = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: total,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(total - ready > 0 ? { unavailableReplicas: total - ready } : {}),
    conditions: [
      ready >= Math.max(0, replicas - Math.floor(replicas / 4))
        ? cond(
            'Available',
            'True',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
          )
        : cond(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          ),
      complete
        ? cond(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${currentRs}" has successfully progressed.`,
          )
        : cond(
            'Progressing',
            'True',
            'ReplicaSetUpdated',
            `ReplicaSet "${currentRs}" is progressing.`,
          ),
    ],
  };
  if (ready === 0) delete status.readyReplicas;
  if (ready === 0) delete status.availableReplicas;
  const annotations = { ...d.metadata.annotations, [REVISION]: revision };
  const next = { ...d, metadata: { ...d.metadata, annotations }, status };
  if (
    JSON.stringify(next.status) === JSON.stringify(d.status) &&
    d.metadata.annotations?.[REVISION] === revision
  )
    return;
  quiet(() => updateObject(ctx, type(ctx, DEPLOY), ns, name, next, { raw: true }));
}

/** Creates or deletes pods so a ReplicaSet has spec.replicas of them, then updates its status. */
export function syncReplicaSet(ctx: ClusterContext, ns: string, name: string): void {
  const rs = ctx.store.get(RS, ns, name);
  if (!rs || rs.metadata.deletionTimestamp) return;
  const spec = asObject(rs.spec);
  const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const selector = fromLabelSelectorObject(spec.selector);
  const pods = owned(ctx, 'pods', rs).filter((p) => matchLabels(selector, p.metadata.labels));
  const alive = pods.filter((p) => !p.metadata.deletionTimestamp);
  const podType = type(ctx, 'pods');
  const template = asObject(spec.template);
  for (let i = alive.length; i < want; i++) {
    quiet(() =>
      createObject(ctx, podType, ns, {
        metadata: {
          generateName: `${name}-`,
          namespace: ns,
          labels: asObject(asObject(template.metadata).labels),
          annotations: asObject(asObject(template.metadata).annotations),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name,
              uid: rs.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: JSON.parse(JSON.stringify(template.spec ?? {})),
      }),
    );
  }
  const surplus = alive.length - want;
  for (const p of alive.slice(0, Math.max(0, surplus)).reverse()) {
    quiet(() => deleteObject(ctx, podType, ns, p.metadata.name ?? ''));
  }
  const live = owned(ctx, 'pods', rs).filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter(isReady).length;
  const status: JsonObject = {
    replicas: live.length,
    fullyLabeledReplicas: live.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
    if (status[k] === 0) delete status[k];
  if (JSON.stringify(status) !== JSON.stringify(rs.status)) {
    quiet(() =>
      updateObject(
        ctx,
        type(ctx, RS),
        ns,
        name,
        { ...rs, status },
        { raw: true, subresource: 'status' },
      ),
    );
  }
}

/** The owning controller to resync when a pod or ReplicaSet changes. */
export function ownerOf(obj: KubeObject, kind: string): string | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === kind)?.name;
}
