// Row cells for core/v1 kinds, following the apiserver printers (printPod, printNode, ...).

import { asArray, asObject, isObject, type JsonObject } from '../storage/types.js';
import { accessModes, formatLabels, num, since, str } from './format.js';

export type Cell = string | number | boolean;
export type RowFn = (o: JsonObject, now: Date) => { cells: Cell[]; conditions?: unknown[] };

const name = (o: JsonObject) => str(asObject(o.metadata).name);
const age = (o: JsonObject, now: Date) => since(asObject(o.metadata).creationTimestamp, now);

function podRow(o: JsonObject, now: Date): { cells: Cell[]; conditions?: unknown[] } {
  const spec = asObject(o.spec);
  const status = asObject(o.status);
  const meta = asObject(o.metadata);
  const phase = str(status.phase);
  let reason = str(status.reason, phase);
  for (const c of asArray(status.conditions)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const total = asArray(spec.containers).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let initializing = false;
  const initStatuses = asArray(status.initContainerStatuses);
  initStatuses.forEach((c, i) => {
    const state = asObject(c.state);
    const term = asObject(state.terminated);
    const waiting = asObject(state.waiting);
    if (isObject(state.terminated) && num(term.exitCode) === 0) return;
    if (initializing) return;
    initializing = true;
    if (isObject(state.terminated)) {
      reason = str(term.reason)
        ? `Init:${str(term.reason)}`
        : `Init:ExitCode:${num(term.exitCode)}`;
    } else if (str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${asArray(spec.initContainers).length}`;
    }
  });
  if (!initializing) {
    let hasRunning = false;
    const statuses = asArray(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i] ?? {};
      restarts += num(c.restartCount);
      const lastTerm = asObject(asObject(c.lastState).terminated);
      const finished = Date.parse(str(lastTerm.finishedAt));
      if (!Number.isNaN(finished) && finished > lastRestart) lastRestart = finished;
      const state = asObject(c.state);
      const waiting = asObject(state.waiting);
      const term = asObject(state.terminated);
      if (isObject(state.waiting) && str(waiting.reason)) reason = str(waiting.reason);
      else if (isObject(state.terminated) && str(term.reason)) reason = str(term.reason);
      else if (isObject(state.terminated)) {
        reason = num(term.signal) ? `Signal:${num(term.signal)}` : `ExitCode:${num(term.exitCode)}`;
      } else if (c.ready === true && isObject(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = asArray(status.conditions).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      );
      reason = readyCond ? 'Running' : 'NotReady';
    }
  }
  if (meta.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (meta.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed')
    reason = 'Terminating';
  const restartsStr =
    restarts !== 0 && lastRestart > 0
      ? `${restarts} (${since(new Date(lastRestart).toISOString(), now)} ago)`
      : String(restarts);
  const podIPs = asArray(status.podIPs);
  const podIP = str(podIPs[0]?.ip, '<none>');
  const gates = asArray(spec.readinessGates);
  let gatesStr = '<none>';
  if (gates.length > 0) {
    const trueCount = gates.filter((g) =>
      asArray(status.conditions).some((c) => c.type === g.conditionType && c.status === 'True'),
    ).length;
    gatesStr = `${trueCount}/${gates.length}`;
  }
  const conditions =
    phase === 'Succeeded'
      ? [
          {
            type: 'Completed',
            status: 'True',
            reason: 'Succeeded',
            message: 'The pod has completed successfully.',
          },
        ]
      : phase === 'Failed'
        ? [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]
        : undefined;
  return {
    cells: [
      name(o),
      `${ready}/${total}`,
      reason,
      restartsStr,
      age(o, now),
      podIP,
      str(spec.nodeName, '<none>'),
      str(status.nominatedNodeName, '<none>'),
      gatesStr,
    ],
    conditions,
  };
}

function nodeRow(o: JsonObject, now: Date) {
  const status = asObject(o.status);
  const spec = asObject(o.spec);
  const labels = asObject(asObject(o.metadata).labels);
  const ready = asArray(status.conditions).find((c) => c.type === 'Ready');
  const parts: string[] = [];
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (parts.length === 0) parts.push('Unknown');
  if (spec.unschedulable === true) parts.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) {
      roles.add(k.slice('node-role.kubernetes.io/'.length));
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(String(v));
  }
  const info = asObject(status.nodeInfo);
  const addr = (type: string) =>
    str(asArray(status.addresses).find((a) => a.type === type)?.address, '<none>');
  return {
    cells: [
      name(o),
      parts.join(','),
      roles.size > 0 ? [...roles].sort().join(',') : '<none>',
      age(o, now),
      str(info.kubeletVersion),
      addr('InternalIP'),
      addr('ExternalIP'),
      str(info.osImage, '<unknown>'),
      str(info.kernelVersion, '<unknown>'),
      str(info.containerRuntimeVersion, '<unknown>'),
    ],
  };
}

function portString(ports: JsonObject[]): string {
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => {
      const proto = str(p.protocol, 'TCP');
      return p.nodePort ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`;
    })
    .join(',');
}

function serviceExternalIp(spec: JsonObject, status: JsonObject): string {
  const type = str(spec.type, 'ClusterIP');
  const external = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  if (type === 'ExternalName') return str(spec.externalName);
  if (type === 'LoadBalancer') {
    const lb = asArray(asObject(status.loadBalancer).ingress)
      .map((i) => str(i.ip) || str(i.hostname))
      .filter(Boolean);
    const all = [...lb, ...external];
    if (all.length === 0) return '<pending>';
    const joined = all.join(',');
    return joined.length > 16 ? `${joined.slice(0, 13)}...` : joined;
  }
  return external.length > 0 ? external.join(',') : '<none>';
}

function serviceRow(o: JsonObject, now: Date) {
  const spec = asObject(o.spec);
  return {
    cells: [
      name(o),
      str(spec.type, 'ClusterIP'),
      str(spec.clusterIP, '<none>'),
      serviceExternalIp(spec, asObject(o.status)),
      portString(asArray(spec.ports)),
      age(o, now),
      formatLabels(spec.selector),
    ],
  };
}

function endpointsRow(o: JsonObject, now: Date) {
  const list: string[] = [];
  let count = 0;
  for (const s of asArray(o.subsets)) {
    const ports = asArray(s.ports);
    for (const a of asArray(s.addresses)) {
      const targets = ports.length === 0 ? [''] : ports.map((p) => `:${num(p.port)}`);
      for (const t of targets) {
        count++;
        if (list.length < 3) list.push(`${str(a.ip)}${t}`);
      }
    }
  }
  let text = list.length === 0 ? '<none>' : list.join(',');
  if (count > 3) text += ` + ${count - 3} more...`;
  return { cells: [name(o), text, age(o, now)] };
}

function eventRow(o: JsonObject, now: Date) {
  const inv = asObject(o.involvedObject);
  const src = asObject(o.source);
  const last = str(o.lastTimestamp) || str(o.eventTime);
  const first = str(o.firstTimestamp) || str(o.eventTime);
  const source = [str(src.component), str(src.host)].filter(Boolean).join(', ');
  return {
    cells: [
      since(last, now),
      str(o.type),
      str(o.reason),
      `${str(inv.kind).toLowerCase()}/${str(inv.name)}`,
      str(inv.fieldPath),
      source || str(o.reportingComponent),
      str(o.message),
      since(first, now),
      String(num(o.count) || 1),
      name(o),
    ],
  };
}

function pvRow(o: JsonObject, now: Date) {
  const spec = asObject(o.spec);
  const status = asObject(o.status);
  const claim = asObject(spec.claimRef);
  return {
    cells: [
      name(o),
      str(asObject(spec.capacity).storage),
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      str(status.phase),
      claim.name ? `${str(claim.namespace)}/${str(claim.name)}` : '',
      str(spec.storageClassName),
      str(spec.volumeAttributesClassName, '<unset>'),
      str(status.reason),
      age(o, now),
      str(spec.volumeMode, '<unset>'),
    ],
  };
}

function pvcRow(o: JsonObject, now: Date) {
  const spec = asObject(o.spec);
  const status = asObject(o.status);
  const meta = asObject(o.metadata);
  const bound = status.phase === 'Bound';
  return {
    cells: [
      name(o),
      meta.deletionTimestamp ? 'Terminating' : str(status.phase),
      str(spec.volumeName),
      bound ? str(asObject(status.capacity).storage) : '',
      bound ? accessModes(status.accessModes) : '',
      str(spec.storageClassName),
      str(spec.volumeAttributesClassName, '<unset>'),
      age(o, now),
      str(spec.volumeMode, '<unset>'),
    ],
  };
}

function quotaRow(o: JsonObject, now: Date) {
  const hard = asObject(asObject(o.status).hard);
  const used = asObject(asObject(o.status).used);
  const req: string[] = [];
  const lim: string[] = [];
  for (const k of Object.keys(hard).sort()) {
    const entry = `${k}: ${str(used[k], '0')}/${String(hard[k])}`;
    if (k.startsWith('limits.')) lim.push(entry);
    else req.push(entry);
  }
  return { cells: [name(o), age(o, now), req.join(', '), lim.join(', ')] };
}

export const CORE_ROWS: Record<string, RowFn> = {
  pods: podRow,
  nodes: nodeRow,
  namespaces: (o, now) => ({ cells: [name(o), str(asObject(o.status).phase), age(o, now)] }),
  services: serviceRow,
  endpoints: endpointsRow,
  configmaps: (o, now) => ({
    cells: [
      name(o),
      Object.keys(asObject(o.data)).length + Object.keys(asObject(o.binaryData)).length,
      age(o, now),
    ],
  }),
  secrets: (o, now) => ({
    cells: [name(o), str(o.type), Object.keys(asObject(o.data)).length, age(o, now)],
  }),
  serviceaccounts: (o, now) => ({ cells: [name(o), asArray(o.secrets).length, age(o, now)] }),
  events: eventRow,
  persistentvolumes: pvRow,
  persistentvolumeclaims: pvcRow,
  resourcequotas: quotaRow,
};
