// Defaulting applied on create, approximating the apiserver's defaulters plus the first status a
// controller would write, so objects read back the way kubectl expects.

import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { asArray, asObject, isObject, type JsonObject, type KubeObject } from '../storage/types.js';
import type { ResourceType } from './resources.js';

function defaultContainer(c: JsonObject): void {
  const image = String(c.image ?? '');
  const tag = image.includes('@') ? 'digest' : (image.split('/').pop() ?? '').split(':')[1];
  c.resources ??= {};
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  for (const p of asArray(c.ports)) p.protocol ??= 'TCP';
}

/** PodSpec defaults shared by pods and pod templates. */
export function defaultPodSpec(spec: JsonObject): void {
  for (const c of asArray(spec.containers)) defaultContainer(c);
  for (const c of asArray(spec.initContainers)) defaultContainer(c);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

function defaultTemplate(obj: KubeObject): void {
  const spec = asObject(obj.spec);
  const template = asObject(spec.template);
  template.metadata ??= {};
  const podSpec = asObject(template.spec);
  defaultPodSpec(podSpec);
}

export function qosClass(spec: JsonObject): string {
  let anyReq = false;
  let guaranteed = true;
  for (const c of asArray(spec.containers)) {
    const res = asObject(c.resources);
    const req = asObject(res.requests);
    const lim = asObject(res.limits);
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) anyReq = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!anyReq) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultPod(ctx: ClusterContext, obj: KubeObject): void {
  const spec = asObject(obj.spec);
  obj.spec = spec;
  defaultPodSpec(spec);
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.tolerations ??= [
    {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
    {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
  ];
  if (!isObject(obj.status) || Object.keys(obj.status).length === 0) {
    obj.status = { phase: 'Pending', qosClass: qosClass(spec) };
  }
  void ctx;
}

function defaultService(ctx: ClusterContext, obj: KubeObject): void {
  const spec = asObject(obj.spec);
  obj.spec = spec;
  spec.type ??= 'ClusterIP';
  const type = String(spec.type);
  if (type !== 'ExternalName') {
    if (spec.clusterIP === undefined || spec.clusterIP === '')
      spec.clusterIP = ctx.allocateClusterIp();
    spec.clusterIPs ??= [spec.clusterIP];
    if (spec.clusterIP !== 'None' || spec.selector) {
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    }
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  spec.sessionAffinity ??= 'None';
  for (const p of asArray(spec.ports)) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
    if ((type === 'NodePort' || type === 'LoadBalancer') && p.nodePort === undefined) {
      p.nodePort = ctx.allocateNodePort();
    }
  }
  if (type === 'NodePort' || type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  obj.status ??= { loadBalancer: {} };
}

function defaultWorkload(ctx: ClusterContext, t: ResourceType, obj: KubeObject): void {
  const spec = asObject(obj.spec);
  obj.spec = spec;
  if (t.resource !== 'daemonsets') spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (t.resource === 'deployments') {
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    };
  }
  if (t.resource === 'statefulsets') {
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
  }
  if (t.resource === 'daemonsets') {
    spec.updateStrategy ??= {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    };
  }
  defaultTemplate(obj);
  void ctx;
}

function defaultJob(obj: KubeObject): void {
  const spec = asObject(obj.spec);
  obj.spec = spec;
  spec.parallelism ??= 1;
  spec.completions ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  const tpl = asObject(spec.template);
  const podSpec = asObject(tpl.spec);
  podSpec.restartPolicy ??= 'Never';
  // The job strategy generates the selector from the uid unless spec.manualSelector is set.
  const uid = obj.metadata.uid ?? '';
  if (spec.manualSelector !== true && uid && !spec.selector) {
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    const meta = asObject(tpl.metadata);
    tpl.metadata = meta;
    meta.labels = {
      ...asObject(meta.labels),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': obj.metadata.name ?? '',
      'controller-uid': uid,
      'job-name': obj.metadata.name ?? '',
    };
  }
  defaultTemplate(obj);
}

/**
 * A Secret's write-only `stringData` is merged into `data` (base64) and dropped, on create and
 * update, as kube-apiserver does; its values win over `data`'s.
 */
export function mergeSecretStringData(t: ResourceType, obj: KubeObject): void {
  if (t.group !== '' || t.resource !== 'secrets' || obj.stringData === undefined) return;
  const strings = asObject(obj.stringData);
  const data = asObject(obj.data);
  for (const [key, value] of Object.entries(strings)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  obj.data = data;
  delete obj.stringData;
}

/** Applies create-time defaults in place. */
export function applyCreateDefaults(ctx: ClusterContext, t: ResourceType, obj: KubeObject): void {
  const key = t.group ? `${t.resource}.${t.group}` : t.resource;
  switch (key) {
    case 'pods':
      defaultPod(ctx, obj);
      break;
    case 'services':
      defaultService(ctx, obj);
      break;
    case 'namespaces':
      obj.spec = { finalizers: ['kubernetes'], ...asObject(obj.spec) };
      obj.status = { phase: 'Active' };
      obj.metadata.labels = {
        ...obj.metadata.labels,
        'kubernetes.io/metadata.name': obj.metadata.name ?? '',
      };
      break;
    case 'secrets':
      obj.type ??= 'Opaque';
      break;
    case 'deployments.apps':
    case 'replicasets.apps':
    case 'statefulsets.apps':
    case 'daemonsets.apps':
      defaultWorkload(ctx, t, obj);
      break;
    case 'jobs.batch':
      defaultJob(obj);
      break;
    case 'cronjobs.batch': {
      const spec = asObject(obj.spec);
      obj.spec = spec;
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      break;
    }
    case 'persistentvolumeclaims': {
      const spec = asObject(obj.spec);
      obj.spec = spec;
      spec.volumeMode ??= 'Filesystem';
      obj.status ??= { phase: 'Pending' };
      break;
    }
    case 'persistentvolumes': {
      const spec = asObject(obj.spec);
      obj.spec = spec;
      spec.persistentVolumeReclaimPolicy ??= 'Retain';
      spec.volumeMode ??= 'Filesystem';
      obj.status ??= { phase: 'Available' };
      break;
    }
    case 'storageclasses.storage.k8s.io':
      obj.reclaimPolicy ??= 'Delete';
      obj.volumeBindingMode ??= 'Immediate';
      break;
    case 'events':
      obj.firstTimestamp ??= rfc3339(ctx.now());
      obj.lastTimestamp ??= obj.firstTimestamp;
      obj.count ??= 1;
      obj.type ??= 'Normal';
      break;
    default:
      break;
  }
}

/** Kinds whose metadata.generation tracks spec changes (core kinds do not have one in 1.32). */
export function hasGeneration(t: ResourceType): boolean {
  return t.group !== '' && !NO_GENERATION_GROUPS.has(t.group);
}

const NO_GENERATION_GROUPS = new Set([
  'rbac.authorization.k8s.io',
  'coordination.k8s.io',
  'storage.k8s.io',
]);
