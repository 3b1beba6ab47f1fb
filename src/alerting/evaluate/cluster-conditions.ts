/**
 * Cluster-scope conditions: the cluster unhealthy or unreachable, node conditions, requests
 * above a share of allocatable, Warning events, system pods not ready.
 */
import type { AlertCondition, NodeConditionKind } from '../../domain/alerting.js';
import type { KubeObject } from '../../domain/kube-api.js';
import { isActivePod, sumPods, totalsOf } from '../../rbac/resource-totals.js';
import { type ActiveAlert, type ClusterView, conditionOf, obj } from './cluster-view.js';

export function clusterUnhealthy(view: ClusterView): ActiveAlert[] {
  const state = view.health?.state;
  if (state === undefined || state === 'active' || state === 'pending') return [];
  return [
    {
      labels: { state },
      summary: `cluster ${view.clusterId} is ${state}${view.health?.message ? `: ${view.health.message}` : ''}`,
    },
  ];
}

const PRESSURE: Partial<Record<NodeConditionKind, string>> = {
  MemoryPressure: 'MemoryPressure',
  DiskPressure: 'DiskPressure',
  PIDPressure: 'PIDPressure',
};

function nodeHas(node: KubeObject, condition: NodeConditionKind): boolean {
  if (condition === 'NotReady') return conditionOf(node, 'Ready')?.status !== 'True';
  if (condition === 'Cordoned') return obj(node.spec).unschedulable === true;
  return conditionOf(node, PRESSURE[condition] ?? condition)?.status === 'True';
}

export function nodeCondition(
  view: ClusterView,
  c: Extract<AlertCondition, { kind: 'nodeCondition' }>,
): ActiveAlert[] {
  return view
    .list('nodes')
    .filter((n) => nodeHas(n, c.condition))
    .map((n) => {
      const name = n.metadata.name ?? '';
      const reason = conditionOf(n, 'Ready')?.message;
      return {
        labels: { node: name, condition: c.condition },
        summary:
          c.condition === 'NotReady'
            ? `node ${name} is NotReady${typeof reason === 'string' ? `: ${reason}` : ''}`
            : c.condition === 'Cordoned'
              ? `node ${name} is cordoned`
              : `node ${name} has ${c.condition}`,
      };
    });
}

export function resourceRequests(
  view: ClusterView,
  c: Extract<AlertCondition, { kind: 'resourceRequests' }>,
): ActiveAlert[] {
  const nodes = view.list('nodes');
  if (nodes.length === 0) return [];
  const allocatable = nodes.reduce(
    (sum, n) => {
      const t = totalsOf(obj(n.status).allocatable);
      return { cpu: sum.cpu + t.cpuMillis, memory: sum.memory + t.memoryBytes };
    },
    { cpu: 0, memory: 0 },
  );
  const requested = sumPods(view.list('pods').filter(isActivePod), 'requests');
  const have = c.resource === 'cpu' ? requested.cpuMillis : requested.memoryBytes;
  const total = c.resource === 'cpu' ? allocatable.cpu : allocatable.memory;
  if (total <= 0) return [];
  const percent = (have / total) * 100;
  if (percent <= c.thresholdPercent) return [];
  return [
    {
      labels: { resource: c.resource },
      summary: `${c.resource} requests are ${percent.toFixed(0)}% of allocatable (above ${c.thresholdPercent}%)`,
    },
  ];
}

function eventTime(e: KubeObject): number {
  const raw = e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
  const t = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

export function warningEvent(
  view: ClusterView,
  c: Extract<AlertCondition, { kind: 'warningEvent' }>,
): ActiveAlert[] {
  const since = view.now - (c.windowSeconds ?? 300) * 1000;
  const out = new Map<string, ActiveAlert>();
  for (const e of view.list('events')) {
    if (e.type !== 'Warning') continue;
    const reason = typeof e.reason === 'string' ? e.reason : '';
    const involved = obj(e.involvedObject);
    const kind = typeof involved.kind === 'string' ? involved.kind : '';
    if (c.reason && c.reason !== reason) continue;
    if (c.involvedKind && c.involvedKind !== kind) continue;
    if (eventTime(e) < since) continue;
    const labels = {
      namespace: String(involved.namespace ?? e.metadata.namespace ?? ''),
      kind,
      name: String(involved.name ?? ''),
      reason,
    };
    out.set(JSON.stringify(labels), {
      labels,
      summary: `${kind} ${labels.namespace ? `${labels.namespace}/` : ''}${labels.name}: ${reason}: ${String(e.message ?? '')}`,
    });
  }
  return [...out.values()];
}

export function systemComponentUnhealthy(
  view: ClusterView,
  c: Extract<AlertCondition, { kind: 'systemComponentUnhealthy' }>,
): ActiveAlert[] {
  const namespace = c.namespace ?? 'kube-system';
  return view
    .list('pods')
    .filter(
      (p) => p.metadata.namespace === namespace && isActivePod(p) && !p.metadata.deletionTimestamp,
    )
    .filter(
      (p) => obj(p.status).phase !== 'Succeeded' && conditionOf(p, 'Ready')?.status !== 'True',
    )
    .map((p) => ({
      labels: { namespace, pod: p.metadata.name ?? '' },
      summary: `system pod ${namespace}/${p.metadata.name} is not ready (${String(obj(p.status).phase ?? 'Unknown')})`,
    }));
}
