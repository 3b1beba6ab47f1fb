// The StatefulSet controller: pods <name>-<ordinal> with stable hostnames, created in order
// (OrderedReady waits for the previous pod to be ready; Parallel does not), removed from the
// highest ordinal down, a PersistentVolumeClaim per volumeClaimTemplate and pod, a
// ControllerRevision per template, and rolling updates that replace pods of an old revision
// from the highest ordinal down, one ready pod at a time.

import { createObject, updateObject } from '../api/object-service.js';
import { podTemplateHash } from '../seed/builders.js';
import type { ClusterContext } from '../server/context.js';
import { asArray, asObject, asString, type JsonObject, type KubeObject } from '../storage/types.js';
import {
  controllerRef,
  createPodFromTemplate,
  deletePod,
  isPodReady,
  ownedBy,
  quiet,
  typeOf,
  writeStatus,
} from './owned-pods.js';

const STS = 'statefulsets.apps';
const REVISIONS = 'controllerrevisions.apps';
const HASH = 'controller-revision-hash';

function ordinalOf(sts: KubeObject, pod: KubeObject): number {
  const m = new RegExp(`^${sts.metadata.name}-(\\d+)$`).exec(pod.metadata.name ?? '');
  return m ? Number(m[1]) : -1;
}

function ensureRevision(ctx: ClusterContext, sts: KubeObject, revision: string): void {
  const ns = sts.metadata.namespace ?? '';
  const existing = ownedBy(ctx, REVISIONS, sts);
  const latest = existing.reduce((n, r) => Math.max(n, Number(r.revision ?? 0)), 0);
  const found = existing.find((r) => r.metadata.name === revision);
  if (found) {
    // Going back to an older template (rollout undo) makes its revision the newest again.
    if (Number(found.revision ?? 0) < latest) {
      quiet(() =>
        updateObject(
          ctx,
          typeOf(ctx, REVISIONS),
          ns,
          revision,
          { ...found, revision: latest + 1 },
          { raw: true },
        ),
      );
    }
    return;
  }
  const number = latest + 1;
  const template = asObject(asObject(sts.spec).template);
  quiet(() =>
    createObject(ctx, typeOf(ctx, REVISIONS), ns, {
      metadata: {
        name: revision,
        namespace: ns,
        labels: { ...asObject(asObject(template.metadata).labels), [HASH]: revision.slice(-10) },
        ownerReferences: [controllerRef(sts, 'apps/v1', 'StatefulSet')],
      },
      data: { spec: { template: { ...template, $patch: 'replace' } } },
      revision: number,
    }),
  );
}

function defaultStorageClass(ctx: ClusterContext): string | undefined {
  return ctx.store
    .list('storageclasses.storage.k8s.io')
    .map((s) => JSON.parse(s.json) as KubeObject)
    .find(
      (sc) => sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    )?.metadata.name;
}

/** Creates a claim and, as a dynamic provisioner would, a bound volume for it. */
function bindClaim(ctx: ClusterContext, sts: KubeObject, claim: string, spec: JsonObject): void {
  const ns = sts.metadata.namespace ?? '';
  const storageClassName = asString(spec.storageClassName) || defaultStorageClass(ctx);
  const accessModes = spec.accessModes ?? ['ReadWriteOnce'];
  const storage = asObject(asObject(spec.resources).requests).storage ?? '1Gi';
  quiet(() => {
    const pvc = createObject(ctx, typeOf(ctx, 'persistentvolumeclaims'), ns, {
      metadata: {
        name: claim,
        namespace: ns,
        labels: asObject(asObject(asObject(sts.spec).selector).matchLabels),
      },
      spec: { ...spec, ...(storageClassName ? { storageClassName } : {}) },
    });
    if (!storageClassName) return;
    const volume = `pvc-${pvc.metadata.uid}`;
    createObject(ctx, typeOf(ctx, 'persistentvolumes'), '', {
      metadata: {
        name: volume,
        annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' },
      },
      spec: {
        accessModes,
        capacity: { storage },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: ns,
          name: claim,
          uid: pvc.metadata.uid,
          resourceVersion: pvc.metadata.resourceVersion,
        },
        hostPath: {
          path: `/var/local-path-provisioner/${volume}_${ns}_${claim}`,
          type: 'DirectoryOrCreate',
        },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName,
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    });
    updateObject(
      ctx,
      typeOf(ctx, 'persistentvolumeclaims'),
      ns,
      claim,
      {
        ...pvc,
        metadata: {
          ...pvc.metadata,
          annotations: {
            ...pvc.metadata.annotations,
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
            'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
          },
        },
        spec: { ...asObject(pvc.spec), volumeName: volume },
        status: { phase: 'Bound', accessModes, capacity: { storage } },
      },
      { raw: true },
    );
  });
}

function ensureClaims(ctx: ClusterContext, sts: KubeObject, podName: string): JsonObject[] {
  const ns = sts.metadata.namespace ?? '';
  const volumes: JsonObject[] = [];
  for (const tpl of asArray(asObject(sts.spec).volumeClaimTemplates)) {
    const meta = asObject(tpl.metadata);
    const claim = `${asString(meta.name)}-${podName}`;
    volumes.push({ name: asString(meta.name), persistentVolumeClaim: { claimName: claim } });
    if (ctx.store.get('persistentvolumeclaims', ns, claim)) continue;
    bindClaim(ctx, sts, claim, asObject(tpl.spec));
  }
  return volumes;
}

export function syncStatefulSet(ctx: ClusterContext, ns: string, name: string): void {
  const sts = ctx.store.get(STS, ns, name);
  if (!sts || sts.metadata.deletionTimestamp) return;
  const spec = asObject(sts.spec);
  const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const parallel = spec.podManagementPolicy === 'Parallel';
  const revision = `${name}-${podTemplateHash(spec.template)}`;
  ensureRevision(ctx, sts, revision);
  const pods = ownedBy(ctx, 'pods', sts);
  const byOrdinal = new Map(pods.map((p) => [ordinalOf(sts, p), p]));
  const alive = pods.filter((p) => !p.metadata.deletionTimestamp);

  for (let i = 0; i < want; i++) {
    const existing = byOrdinal.get(i);
    if (existing) {
      if (!parallel && !isPodReady(existing)) break;
      continue;
    }
    const podName = `${name}-${i}`;
    const volumes = ensureClaims(ctx, sts, podName);
    const template = asObject(asObject(spec.template).spec);
    createPodFromTemplate(
      ctx,
      sts,
      controllerRef(sts, 'apps/v1', 'StatefulSet'),
      { name: podName },
      {
        'apps.kubernetes.io/pod-index': String(i),
        [HASH]: revision,
        'statefulset.kubernetes.io/pod-name': podName,
      },
      {
        hostname: podName,
        ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
        ...(volumes.length > 0 ? { volumes: [...asArray(template.volumes), ...volumes] } : {}),
      },
    );
    if (!parallel) break;
  }
  for (const p of alive.filter((p) => ordinalOf(sts, p) >= want)) deletePod(ctx, p);
  // Rolling update: replace the highest-ordinal pod of an old revision once all are ready.
  const inRange = alive.filter((p) => ordinalOf(sts, p) < want);
  const stale = inRange
    .filter((p) => p.metadata.labels?.[HASH] !== revision)
    .sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));
  if (stale[0] && inRange.length === want && inRange.every(isPodReady)) deletePod(ctx, stale[0]);

  const live = ownedBy(ctx, 'pods', sts).filter((p) => !p.metadata.deletionTimestamp);
  const updated = live.filter((p) => p.metadata.labels?.[HASH] === revision).length;
  const ready = live.filter(isPodReady).length;
  const previous = asObject(sts.status);
  const current =
    updated === live.length && live.length === want
      ? revision
      : asString(previous.currentRevision, revision);
  const status: JsonObject = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: live.length,
    ...(ready > 0 ? { readyReplicas: ready } : {}),
    ...(live.length - updated > 0 || current !== revision
      ? { currentReplicas: live.length - updated }
      : { currentReplicas: live.length }),
    ...(updated > 0 ? { updatedReplicas: updated } : {}),
    currentRevision: current,
    updateRevision: revision,
    collisionCount: 0,
    availableReplicas: ready,
  };
  if (status.currentReplicas === 0) delete status.currentReplicas;
  writeStatus(ctx, STS, sts, status);
}
