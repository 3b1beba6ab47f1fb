// The endpoints and endpointslice controllers for services with a selector: the pods that
// match and have an IP become addresses (ready ones in `addresses`, others in
// `notReadyAddresses`; in the slice with ready/serving/terminating conditions), with each
// service port's targetPort resolved against the pod (a named targetPort looks up the
// container port of that name). Objects are only written when their content changes.

import { createObject, deleteObject, updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { fromLabelSelectorObject, matchLabels } from '../storage/selectors.js';
import { asArray, asObject, asString, type JsonObject, type KubeObject } from '../storage/types.js';

const SLICES = 'endpointslices.discovery.k8s.io';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const SERVICE_NAME = 'kubernetes.io/service-name';
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

function typeOf(ctx: ClusterContext, key: string): ResourceType {
  const t = ctx.registry.byKey(key);
  if (!t) throw new Error(`unknown resource ${key}`);
  return t;
}

function quiet(fn: () => void): void {
  try {
    fn();
  } catch {
    // raced with a client write; the next pod or service write resyncs
  }
}

interface Target {
  pod: KubeObject;
  ip: string;
  ready: boolean;
  terminating: boolean;
  ports: JsonObject[];
}

function isReady(pod: KubeObject): boolean {
  return asArray(asObject(pod.status).conditions).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
}

function resolvePorts(svc: KubeObject, pod: KubeObject): JsonObject[] {
  const containerPorts = asArray(asObject(pod.spec).containers).flatMap((c) => asArray(c.ports));
  const out: JsonObject[] = [];
  for (const p of asArray(asObject(svc.spec).ports)) {
    const target = p.targetPort ?? p.port;
    const port =
      typeof target === 'number'
        ? target
        : containerPorts.find(
            (c) => c.name === target && (c.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
          )?.containerPort;
    if (typeof port !== 'number') continue;
    const e: JsonObject = {};
    if (p.name) e.name = p.name;
    e.port = port;
    e.protocol = p.protocol ?? 'TCP';
    if (p.appProtocol) e.appProtocol = p.appProtocol;
    out.push(e);
  }
  return out;
}

function targetsOf(svc: KubeObject, pods: KubeObject[]): Target[] {
  const reqs = fromLabelSelectorObject({ matchLabels: asObject(asObject(svc.spec).selector) });
  const out: Target[] = [];
  for (const pod of pods) {
    if (!matchLabels(reqs, pod.metadata.labels)) continue;
    const ip = asString(asObject(pod.status).podIP);
    if (!ip) continue;
    const ports = resolvePorts(svc, pod);
    out.push({
      pod,
      ip,
      ready: isReady(pod) && !pod.metadata.deletionTimestamp,
      terminating: Boolean(pod.metadata.deletionTimestamp),
      ports,
    });
  }
  return out.sort((a, b) => (a.pod.metadata.name ?? '').localeCompare(b.pod.metadata.name ?? ''));
}

const targetRef = (pod: KubeObject) => ({
  kind: 'Pod',
  namespace: pod.metadata.namespace ?? '',
  name: pod.metadata.name ?? '',
  uid: pod.metadata.uid ?? '',
});

/** RepackSubsets orders addresses by IP (then pod uid). */
function byIp(a: JsonObject, b: JsonObject): number {
  const key = (x: JsonObject) =>
    asString(x.ip)
      .split('.')
      .map((o) => o.padStart(3, '0'))
      .join('.') + asString(asObject(x.targetRef).uid);
  return key(a).localeCompare(key(b));
}

function endpointsSubsets(targets: Target[]): JsonObject[] {
  const groups = new Map<
    string,
    { ports: JsonObject[]; ready: JsonObject[]; notReady: JsonObject[] }
  >();
  for (const t of targets) {
    if (t.terminating) continue;
    const key = JSON.stringify(t.ports);
    const g = groups.get(key) ?? { ports: t.ports, ready: [], notReady: [] };
    groups.set(key, g);
    const addr = {
      ip: t.ip,
      nodeName: asString(asObject(t.pod.spec).nodeName),
      targetRef: targetRef(t.pod),
    };
    (t.ready ? g.ready : g.notReady).push(addr);
  }
  for (const g of groups.values()) {
    g.ready.sort(byIp);
    g.notReady.sort(byIp);
  }
  return [...groups.values()].map((g) => {
    const subset: JsonObject = {};
    if (g.ready.length > 0) subset.addresses = g.ready;
    if (g.notReady.length > 0) subset.notReadyAddresses = g.notReady;
    if (g.ports.length > 0) subset.ports = g.ports;
    return subset;
  });
}

function sliceEndpoints(targets: Target[]): JsonObject[] {
  return targets.map((t) => ({
    addresses: [t.ip],
    conditions: { ready: t.ready, serving: isReady(t.pod), terminating: t.terminating },
    nodeName: asString(asObject(t.pod.spec).nodeName),
    targetRef: targetRef(t.pod),
  }));
}

function syncEndpoints(ctx: ClusterContext, svc: KubeObject, targets: Target[]): void {
  const ns = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  const subsets = endpointsSubsets(targets);
  const current = ctx.store.get('endpoints', ns, name);
  if (current && JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets)) return;
  const labels = { ...svc.metadata.labels };
  if (asObject(svc.spec).clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  const metadata = {
    ...(current?.metadata ?? { name, namespace: ns }),
    labels,
    annotations: { ...current?.metadata.annotations, [TRIGGER]: rfc3339(ctx.now()) },
  };
  const body: KubeObject = { metadata, ...(subsets.length > 0 ? { subsets } : {}) };
  const t = typeOf(ctx, 'endpoints');
  if (current) quiet(() => updateObject(ctx, t, ns, name, body, { raw: true }));
  else quiet(() => createObject(ctx, t, ns, body));
}

function syncSlice(ctx: ClusterContext, svc: KubeObject, targets: Target[]): void {
  const ns = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  const existing = ctx.store
    .list(SLICES, ns)
    .map((s) => JSON.parse(s.json) as KubeObject)
    .find(
      (s) =>
        s.metadata.labels?.[SERVICE_NAME] === name &&
        s.metadata.labels?.[MANAGED_BY] === SLICE_CONTROLLER,
    );
  const endpoints = sliceEndpoints(targets);
  const ports = targets[0]?.ports ?? [];
  if (
    existing &&
    JSON.stringify(existing.endpoints ?? []) === JSON.stringify(endpoints) &&
    JSON.stringify(existing.ports ?? []) === JSON.stringify(ports)
  )
    return;
  const labels = { ...svc.metadata.labels, [MANAGED_BY]: SLICE_CONTROLLER, [SERVICE_NAME]: name };
  const metadata = {
    ...(existing?.metadata ?? { generateName: `${name}-`, namespace: ns }),
    labels,
    annotations: { ...existing?.metadata.annotations, [TRIGGER]: rfc3339(ctx.now()) },
    ownerReferences: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        name,
        uid: svc.metadata.uid ?? '',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
  const body: KubeObject = { metadata, addressType: 'IPv4', endpoints, ports };
  const t = typeOf(ctx, SLICES);
  if (existing)
    quiet(() => updateObject(ctx, t, ns, existing.metadata.name ?? '', body, { raw: true }));
  else quiet(() => createObject(ctx, t, ns, body));
}

/** Brings the Endpoints and EndpointSlice of every selector service in a namespace up to date. */
export function syncNamespaceEndpoints(ctx: ClusterContext, ns: string): void {
  const services = ctx.store.list('services', ns).map((s) => JSON.parse(s.json) as KubeObject);
  const selecting = services.filter((svc) => {
    const spec = asObject(svc.spec);
    return spec.type !== 'ExternalName' && Object.keys(asObject(spec.selector)).length > 0;
  });
  if (selecting.length === 0) return;
  const pods = ctx.store.list('pods', ns).map((s) => JSON.parse(s.json) as KubeObject);
  for (const svc of selecting) {
    if (svc.metadata.deletionTimestamp) continue;
    const targets = targetsOf(svc, pods);
    syncEndpoints(ctx, svc, targets);
    syncSlice(ctx, svc, targets);
  }
}

/** The controller removes a deleted service's Endpoints (slices go with their owner). */
export function onServiceDeleted(ctx: ClusterContext, svc: KubeObject): void {
  const ns = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  if (Object.keys(asObject(asObject(svc.spec).selector)).length === 0) return;
  if (!ctx.store.get('endpoints', ns, name)) return;
  quiet(() => deleteObject(ctx, typeOf(ctx, 'endpoints'), ns, name));
}
