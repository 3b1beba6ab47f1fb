// Row cells for apps, batch, networking, RBAC, storage and coordination kinds.

import { asArray, asObject, isObject, type JsonObject } from '../storage/types.js';
import {
  formatLabelSelector,
  formatLabels,
  humanDuration,
  num,
  podTemplateContainers,
  since,
  str,
} from './format.js';
import type { RowFn } from './rows-core.js';

const name = (o: JsonObject) => str(asObject(o.metadata).name);
const age = (o: JsonObject, now: Date) => since(asObject(o.metadata).creationTimestamp, now);
const selector = (o: JsonObject) => formatLabelSelector(asObject(o.spec).selector);

function deploymentRow(o: JsonObject, now: Date) {
  const spec = asObject(o.spec);
  const status = asObject(o.status);
  const t = podTemplateContainers(o);
  return {
    cells: [
      name(o),
      `${num(status.readyReplicas)}/${num(spec.replicas)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      age(o, now),
      t.names,
      t.images,
      selector(o),
    ],
  };
}

function replicaSetRow(o: JsonObject, now: Date) {
  const status = asObject(o.status);
  const t = podTemplateContainers(o);
  return {
    cells: [
      name(o),
      num(asObject(o.spec).replicas),
      num(status.replicas),
      num(status.readyReplicas),
      age(o, now),
      t.names,
      t.images,
      selector(o),
    ],
  };
}

function statefulSetRow(o: JsonObject, now: Date) {
  const t = podTemplateContainers(o);
  return {
    cells: [
      name(o),
      `${num(asObject(o.status).readyReplicas)}/${num(asObject(o.spec).replicas)}`,
      age(o, now),
      t.names,
      t.images,
    ],
  };
}

function daemonSetRow(o: JsonObject, now: Date) {
  const s = asObject(o.status);
  const t = podTemplateContainers(o);
  const nodeSelector = asObject(asObject(asObject(asObject(o.spec).template).spec).nodeSelector);
  return {
    cells: [
      name(o),
      num(s.desiredNumberScheduled),
      num(s.currentNumberScheduled),
      num(s.numberReady),
      num(s.updatedNumberScheduled),
      num(s.numberAvailable),
      formatLabels(nodeSelector),
      age(o, now),
      t.names,
      t.images,
      selector(o),
    ],
  };
}

function hasCondition(o: JsonObject, type: string): boolean {
  return asArray(asObject(o.status).conditions).some((c) => c.type === type && c.status === 'True');
}

function jobRow(o: JsonObject, now: Date) {
  const spec = asObject(o.spec);
  const status = asObject(o.status);
  let state = 'Running';
  if (hasCondition(o, 'Complete')) state = 'Complete';
  else if (hasCondition(o, 'Failed')) state = 'Failed';
  else if (asObject(o.metadata).deletionTimestamp) state = 'Terminating';
  else if (hasCondition(o, 'Suspended')) state = 'Suspended';
  else if (hasCondition(o, 'FailureTarget')) state = 'FailureTarget';
  const completions =
    typeof spec.completions === 'number'
      ? `${num(status.succeeded)}/${spec.completions}`
      : `${num(status.succeeded)}/1 of ${num(spec.parallelism) || 1}`;
  let duration = '';
  const start = Date.parse(str(status.startTime));
  if (!Number.isNaN(start)) {
    const end = Date.parse(str(status.completionTime));
    duration = humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
  }
  const t = podTemplateContainers(o);
  return {
    cells: [name(o), state, completions, duration, age(o, now), t.names, t.images, selector(o)],
  };
}

function cronJobRow(o: JsonObject, now: Date) {
  const spec = asObject(o.spec);
  const status = asObject(o.status);
  const jobTemplate = asObject(spec.jobTemplate);
  const t = podTemplateContainers(jobTemplate);
  const last = status.lastScheduleTime ? since(status.lastScheduleTime, now) : '<none>';
  return {
    cells: [
      name(o),
      str(spec.schedule),
      str(spec.timeZone, '<none>'),
      spec.suspend === true,
      asArray(status.active).length,
      last,
      age(o, now),
      t.names,
      t.images,
      formatLabelSelector(asObject(jobTemplate.spec).selector),
    ],
  };
}

function ingressRow(o: JsonObject, now: Date) {
  const spec = asObject(o.spec);
  const hosts = asArray(spec.rules)
    .map((r) => str(r.host))
    .filter(Boolean);
  let hostStr = hosts.length === 0 ? '*' : hosts.slice(0, 3).join(',');
  if (hosts.length > 3) hostStr += ` + ${hosts.length - 3} more...`;
  const lb = asArray(asObject(asObject(o.status).loadBalancer).ingress)
    .map((i) => str(i.ip) || str(i.hostname))
    .filter(Boolean)
    .join(',');
  const ports = asArray(spec.tls).length > 0 ? '80, 443' : '80';
  return {
    cells: [name(o), str(spec.ingressClassName, '<none>'), hostStr, lb, ports, age(o, now)],
  };
}

function bindingRow(o: JsonObject, now: Date) {
  const ref = asObject(o.roleRef);
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of asArray(o.subjects)) {
    if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
    else if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}:${str(s.name)}`);
  }
  return {
    cells: [
      name(o),
      `${str(ref.kind)}/${str(ref.name)}`,
      age(o, now),
      users.join(', '),
      groups.join(', '),
      sas.join(', '),
    ],
  };
}

function storageClassRow(o: JsonObject, now: Date) {
  const ann = asObject(asObject(o.metadata).annotations);
  const isDefault =
    ann['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  return {
    cells: [
      isDefault ? `${name(o)} (default)` : name(o),
      str(o.provisioner),
      str(o.reclaimPolicy, 'Delete'),
      str(o.volumeBindingMode, 'Immediate'),
      String(o.allowVolumeExpansion === true),
      age(o, now),
    ],
  };
}

function controllerRevisionRow(o: JsonObject, now: Date) {
  const owner = asArray(asObject(o.metadata).ownerReferences).find((r) => r.controller === true);
  const controller = owner
    ? `${str(owner.kind).toLowerCase()}.${str(owner.apiVersion).split('/')[0]}/${str(owner.name)}`
    : '<none>';
  return { cells: [name(o), controller, num(o.revision), age(o, now)] };
}

/** The printers' listWithMoreString: three items, then "+ N more...", or <unset>. */
function firstThree(items: string[]): string {
  const shown = items.slice(0, 3).join(',');
  if (items.length > 3) return `${shown} + ${items.length - 3} more...`;
  return shown || '<unset>';
}

function endpointSliceRow(o: JsonObject, now: Date) {
  const ports = asArray(o.ports).map((p) =>
    typeof p.port === 'number' ? String(p.port) : str(p.name) || '*',
  );
  const addresses = asArray(o.endpoints).flatMap((e) =>
    Array.isArray(e.addresses) ? e.addresses.map(String) : [],
  );
  return {
    cells: [name(o), str(o.addressType), firstThree(ports), firstThree(addresses), age(o, now)],
  };
}

export const OTHER_ROWS: Record<string, RowFn> = {
  'endpointslices.discovery.k8s.io': endpointSliceRow,
  'deployments.apps': deploymentRow,
  'replicasets.apps': replicaSetRow,
  'statefulsets.apps': statefulSetRow,
  'daemonsets.apps': daemonSetRow,
  'controllerrevisions.apps': controllerRevisionRow,
  'jobs.batch': jobRow,
  'cronjobs.batch': cronJobRow,
  'ingresses.networking.k8s.io': ingressRow,
  'ingressclasses.networking.k8s.io': (o, now) => {
    const params = asObject(asObject(o.spec).parameters);
    const p = isObject(asObject(o.spec).parameters)
      ? `${str(params.kind)}/${str(params.name)}`
      : '<none>';
    return { cells: [name(o), str(asObject(o.spec).controller), p, age(o, now)] };
  },
  'networkpolicies.networking.k8s.io': (o, now) => ({
    cells: [name(o), formatLabelSelector(asObject(o.spec).podSelector), age(o, now)],
  }),
  'rolebindings.rbac.authorization.k8s.io': bindingRow,
  'clusterrolebindings.rbac.authorization.k8s.io': bindingRow,
  'storageclasses.storage.k8s.io': storageClassRow,
  'leases.coordination.k8s.io': (o, now) => ({
    cells: [name(o), str(asObject(o.spec).holderIdentity), age(o, now)],
  }),
};
