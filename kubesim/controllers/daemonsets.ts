// The DaemonSet controller: one pod per ready, schedulable node whose labels match the
// template's nodeSelector and whose NoSchedule/NoExecute taints the template tolerates, bound
// with the node-name affinity the real controller sets (and the node name itself, as the
// scheduler would), with the tolerations DaemonSet pods always get. Pods of an older template
// generation are replaced one at a time.

import { podTemplateHash } from '../seed/builders.js';
import type { ClusterContext } from '../server/context.js';
import { asArray, asObject, asString, type JsonObject, type KubeObject } from '../storage/types.js';
import {
  controllerRef,
  createPodFromTemplate,
  deletePod,
  isPodReady,
  ownedBy,
  toleratesTaints,
  writeStatus,
} from './owned-pods.js';

const DS = 'daemonsets.apps';

const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function eligibleNodes(ctx: ClusterContext, ds: KubeObject): string[] {
  const podSpec = asObject(asObject(asObject(ds.spec).template).spec);
  const selector = asObject(podSpec.nodeSelector);
  const tolerations = asArray(podSpec.tolerations);
  return ctx.store
    .list('nodes')
    .map((s) => JSON.parse(s.json) as KubeObject)
    .filter((n) => {
      const ready = asArray(asObject(n.status).conditions).find((c) => c.type === 'Ready');
      if (ready?.status !== 'True') return false;
      const labels = n.metadata.labels ?? {};
      if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) return false;
      return toleratesTaints(tolerations, asArray(asObject(n.spec).taints));
    })
    .map((n) => n.metadata.name ?? '')
    .sort();
}

export function syncDaemonSet(ctx: ClusterContext, ns: string, name: string): void {
  const ds = ctx.store.get(DS, ns, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const spec = asObject(ds.spec);
  const generation = String(ds.metadata.generation ?? 1);
  const hash = podTemplateHash(spec.template);
  const nodes = eligibleNodes(ctx, ds);
  const pods = ownedBy(ctx, 'pods', ds).filter((p) => !p.metadata.deletionTimestamp);
  const nodeOf = (p: KubeObject) => asString(asObject(p.spec).nodeName);
  const podSpec = asObject(asObject(spec.template).spec);
  for (const node of nodes) {
    if (pods.some((p) => nodeOf(p) === node)) continue;
    createPodFromTemplate(
      ctx,
      ds,
      controllerRef(ds, 'apps/v1', 'DaemonSet'),
      { generateName: `${name}-` },
      { 'controller-revision-hash': hash, 'pod-template-generation': generation },
      {
        nodeName: node,
        affinity: {
          ...asObject(podSpec.affinity),
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
              ],
            },
          },
        },
        tolerations: [...asArray(podSpec.tolerations), ...DAEMON_TOLERATIONS],
      },
    );
  }
  const misscheduled = pods.filter((p) => !nodes.includes(nodeOf(p)));
  for (const p of misscheduled) deletePod(ctx, p);
  const stale = pods.filter(
    (p) => nodes.includes(nodeOf(p)) && p.metadata.labels?.['controller-revision-hash'] !== hash,
  );
  if (stale[0] && pods.filter((p) => nodes.includes(nodeOf(p))).every(isPodReady))
    deletePod(ctx, stale[0]);

  const live = ownedBy(ctx, 'pods', ds).filter((p) => !p.metadata.deletionTimestamp);
  const scheduled = live.filter((p) => nodes.includes(nodeOf(p)));
  const ready = scheduled.filter(isPodReady).length;
  const updated = scheduled.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash);
  const status: JsonObject = {
    currentNumberScheduled: scheduled.length,
    numberMisscheduled: live.length - scheduled.length,
    desiredNumberScheduled: nodes.length,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    ...(updated.length > 0 ? { updatedNumberScheduled: updated.length } : {}),
    ...(ready > 0 ? { numberAvailable: ready } : {}),
    ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
  };
  writeStatus(ctx, DS, ds, status);
}
