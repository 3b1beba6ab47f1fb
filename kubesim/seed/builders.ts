// Builders for finished objects (as controllers and kubelets would have left them) used by the
// seeds: nodes, deployments with their replicasets and pods, services, configmaps, secrets.

import { createHash } from 'node:crypto';
import { defaultPodSpec, qosClass } from '../api/defaults.js';
import { runningStatus } from '../controllers/kubelet.js';
import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import type { JsonObject, KubeObject } from '../storage/types.js';

/** Deterministic UUID-shaped id from a string. */
export function stableUid(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Canonical JSON (sorted keys, no nulls) so equal templates hash equally whatever their order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function podTemplateHash(template: unknown): string {
  const h = createHash('sha256').update(canonical(template)).digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 10; i++) s += alphabet[(h[i] ?? 0) % alphabet.length];
  return s;
}

export interface NodeSpec {
  name: string;
  index: number;
  controlPlane?: boolean;
  cpu?: string;
  memoryKi?: number;
  ready?: boolean;
  created: Date;
  kubeletVersion: string;
}

export function buildNode(n: NodeSpec): KubeObject {
  const mem = n.memoryKi ?? 32_879_704;
  const ip = `10.0.${Math.floor(n.index / 250)}.${(n.index % 250) + 10}`;
  const t = rfc3339(n.created);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/zone': `zone-${String.fromCharCode(97 + (n.index % 3))}`,
  };
  if (n.controlPlane) labels['node-role.kubernetes.io/control-plane'] = '';
  else labels['node-role.kubernetes.io/worker'] = '';
  const ready = n.ready ?? true;
  return {
    metadata: {
      name: n.name,
      uid: stableUid(`node/${n.name}`),
      creationTimestamp: t,
      labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${n.index % 256}.0/24`,
      podCIDRs: [`10.244.${n.index % 256}.0/24`],
      ...(n.controlPlane
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
    },
    status: {
      capacity: {
        cpu: n.cpu ?? '8',
        'ephemeral-storage': '101430960Ki',
        'hugepages-2Mi': '0',
        memory: `${mem}Ki`,
        pods: '110',
      },
      allocatable: {
        cpu: n.cpu ?? '8',
        'ephemeral-storage': '93478772582',
        'hugepages-2Mi': '0',
        memory: `${mem - 102_400}Ki`,
        pods: '110',
      },
      conditions: [
        cond(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
        ready
          ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
          : cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: createHash('md5').update(n.name).digest('hex'),
        systemUUID: stableUid(`system/${n.name}`),
        bootID: stableUid(`boot/${n.name}`),
        kernelVersion: '6.1.0-25-amd64',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: n.kubeletVersion,
        kubeProxyVersion: n.kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  replicas: number;
  image: string;
  port?: number;
  labels?: Record<string, string>;
  requests?: { cpu: string; memory: string };
  limits?: { cpu: string; memory: string };
  created: Date;
  /** node names pods are spread over */
  nodes: string[];
  /** optional status override per pod index (e.g. CrashLoopBackOff) */
  podStatus?: (i: number, base: JsonObject) => JsonObject;
}

/** A deployment with its current ReplicaSet and running pods, as the controllers leave them. */
export function buildDeployment(
  ctx: ClusterContext,
  w: WorkloadSpec,
): { deployment: KubeObject; replicaSet: KubeObject; pods: KubeObject[] } {
  const labels = w.labels ?? { app: w.name };
  const container: JsonObject = {
    name: w.name.split('-')[0] ?? w.name,
    image: w.image,
    ...(w.port ? { ports: [{ containerPort: w.port, protocol: 'TCP' }] } : {}),
    resources: {
      ...(w.requests ? { requests: w.requests } : {}),
      ...(w.limits ? { limits: w.limits } : {}),
    },
  };
  const podSpec: JsonObject = { containers: [container] };
  defaultPodSpec(podSpec);
  const template = { metadata: { labels }, spec: podSpec };
  const hash = podTemplateHash(template);
  const t = rfc3339(w.created);
  const depUid = stableUid(`${ctx.name}/deploy/${w.namespace}/${w.name}`);
  const rsName = `${w.name}-${hash}`;
  const rsUid = stableUid(`${ctx.name}/rs/${w.namespace}/${rsName}`);
  const ready = w.replicas;
  const deployment: KubeObject = {
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: depUid,
      generation: 1,
      creationTimestamp: t,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: labels },
      template,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 1,
      replicas: w.replicas,
      updatedReplicas: w.replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastUpdateTime: t,
          lastTransitionTime: t,
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: t,
          lastTransitionTime: t,
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
      ],
    },
  };
  const rsLabels = { ...labels, 'pod-template-hash': hash };
  const replicaSet: KubeObject = {
    metadata: {
      name: rsName,
      namespace: w.namespace,
      uid: rsUid,
      generation: 1,
      creationTimestamp: t,
      labels: rsLabels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(w.replicas),
        'deployment.kubernetes.io/max-replicas': String(w.replicas + Math.ceil(w.replicas / 4)),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: w.name,
          uid: depUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: rsLabels },
      template: { metadata: { labels: rsLabels }, spec: podSpec },
    },
    status: {
      replicas: w.replicas,
      fullyLabeledReplicas: w.replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: 1,
    },
  };
  const pods: KubeObject[] = [];
  for (let i = 0; i < w.replicas; i++) {
    const podName = `${rsName}-${podTemplateHash(`${rsName}/${i}`).slice(0, 5)}`;
    const node = w.nodes.length > 0 ? (w.nodes[(i + w.name.length) % w.nodes.length] ?? '') : '';
    const spec: JsonObject = {
      ...JSON.parse(JSON.stringify(podSpec)),
      nodeName: node,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    };
    let status = runningStatus(ctx, spec, `10.0.0.${10 + (i % 200)}`, qosClass(spec), w.created);
    if (w.podStatus) status = w.podStatus(i, status);
    pods.push({
      metadata: {
        name: podName,
        generateName: `${rsName}-`,
        namespace: w.namespace,
        uid: stableUid(`${ctx.name}/pod/${w.namespace}/${podName}`),
        creationTimestamp: t,
        labels: rsLabels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rsName,
            uid: rsUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec,
      status,
    });
  }
  return { deployment, replicaSet, pods };
}

export function buildService(
  namespace: string,
  name: string,
  port: number,
  selector: Record<string, string>,
  type = 'ClusterIP',
): KubeObject {
  return {
    metadata: { name, namespace, labels: { app: name } },
    spec: { type, selector, ports: [{ name: 'http', port, protocol: 'TCP', targetPort: port }] },
  };
}
