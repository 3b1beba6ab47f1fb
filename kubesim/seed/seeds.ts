// Seeds: "demo" (a small realistic cluster) and "scale:<nodes>x<pods>" (deterministic bulk).

import { rfc3339 } from '../server/context.js';
import type { SimCluster } from '../server/sim-cluster.js';
import type { JsonObject } from '../storage/types.js';
import { buildDeployment, buildNode, buildService, type WorkloadSpec } from './builders.js';
import { seedFleet } from './fleet-seed.js';

function addWorkload(sim: SimCluster, w: WorkloadSpec): void {
  const { deployment, replicaSet, pods } = buildDeployment(sim, w);
  sim.seed('deployments.apps', deployment);
  sim.seed('replicasets.apps', replicaSet);
  for (const p of pods) sim.seed('pods', p);
}

function ensureNamespace(sim: SimCluster, name: string, labels: Record<string, string> = {}): void {
  if (!sim.get('namespaces', '', name)) sim.create('namespaces', { metadata: { name, labels } });
}

function crashLoop(i: number, base: JsonObject): JsonObject {
  if (i !== 0) return base;
  const cs = (base.containerStatuses as JsonObject[]).map((c) => ({
    ...c,
    ready: false,
    restartCount: 7,
    state: {
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
    },
    lastState: {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: base.startTime,
        finishedAt: base.startTime,
      },
    },
  }));
  const conditions = (base.conditions as JsonObject[]).map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady'
      ? {
          ...c,
          status: 'False',
          reason: 'ContainersNotReady',
          message: 'containers with unready status: [worker]',
        }
      : c,
  );
  return { ...base, conditions, containerStatuses: cs };
}

export function seedDemo(sim: SimCluster, index: number): void {
  const created = new Date(sim.now().getTime() - (3 + index) * 24 * 3600_000);
  const nodes = ['control-plane', 'worker-1', 'worker-2'].map((n) => `${sim.name}-${n}`);
  nodes.forEach((name, i) => {
    sim.seed(
      'nodes',
      buildNode({
        name,
        index: i,
        controlPlane: i === 0,
        created,
        kubeletVersion: sim.kubeVersion,
      }),
    );
  });
  const workers = nodes.slice(1);
  for (const ns of ['shop', 'payments', 'monitoring']) ensureNamespace(sim, ns, { team: ns });
  sim.seed('storageclasses.storage.k8s.io', {
    metadata: {
      name: 'standard',
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  const workloads: WorkloadSpec[] = [
    {
      namespace: 'shop',
      name: 'frontend',
      replicas: 3,
      image: 'nginx:1.27',
      port: 80,
      created,
      nodes: workers,
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    },
    {
      namespace: 'shop',
      name: 'cart',
      replicas: 2,
      image: 'redis:7.2',
      port: 6379,
      created,
      nodes: workers,
      requests: { cpu: '250m', memory: '256Mi' },
    },
    {
      namespace: 'payments',
      name: 'api',
      replicas: 2,
      image: 'ghcr.io/example/payments-api:1.4.2',
      port: 8080,
      created,
      nodes: workers,
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    },
    {
      namespace: 'payments',
      name: 'worker',
      replicas: 1,
      image: 'ghcr.io/example/payments-worker:1.4.2',
      created,
      nodes: workers,
      podStatus: crashLoop,
    },
    {
      namespace: 'monitoring',
      name: 'prometheus',
      replicas: 1,
      image: 'prom/prometheus:v2.53.0',
      port: 9090,
      created,
      nodes: workers,
      requests: { cpu: '200m', memory: '1Gi' },
    },
  ];
  for (const w of workloads) {
    addWorkload(sim, w);
    if (w.port) sim.create('services', buildService(w.namespace, w.name, w.port, { app: w.name }));
  }
  sim.create('configmaps', {
    metadata: { name: 'frontend-config', namespace: 'shop' },
    data: { 'nginx.conf': 'server { listen 80; }', LOG_LEVEL: 'info' },
  });
  sim.create('configmaps', {
    metadata: { name: 'payments-settings', namespace: 'payments' },
    data: { CURRENCY: 'EUR', RETRIES: '3' },
  });
  sim.create('secrets', {
    metadata: { name: 'payments-db', namespace: 'payments' },
    type: 'Opaque',
    data: {
      username: Buffer.from('payments').toString('base64'),
      password: Buffer.from('s3cr3t-demo').toString('base64'),
    },
  });
  sim.create('ingresses.networking.k8s.io', {
    metadata: { name: 'frontend', namespace: 'shop' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: `shop.${sim.name}.example.com`,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'frontend', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
  });
  sim.create('persistentvolumeclaims', {
    metadata: { name: 'prometheus-data', namespace: 'monitoring' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      storageClassName: 'standard',
    },
  });
  sim.create('events', {
    metadata: { name: 'worker.17c0a1b2c3d4e5f6', namespace: 'payments' },
    involvedObject: { kind: 'Pod', namespace: 'payments', name: 'worker', apiVersion: 'v1' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container worker in pod worker',
    source: { component: 'kubelet', host: workers[0] },
    type: 'Warning',
    count: 7,
    firstTimestamp: rfc3339(created),
    lastTimestamp: rfc3339(sim.now()),
  });
}

/** "scale:<nodes>x<pods>": deployments of 5 replicas, 10 per namespace. */
export function seedScale(sim: SimCluster, nodeCount: number, podCount: number): void {
  const created = new Date(Date.UTC(2025, 0, 1));
  const nodes: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const name = `node-${String(i).padStart(4, '0')}`;
    nodes.push(name);
    sim.seed('nodes', buildNode({ name, index: i, created, kubeletVersion: sim.kubeVersion }));
  }
  const perDeployment = 5;
  const deployments = Math.ceil(podCount / perDeployment);
  for (let d = 0; d < deployments; d++) {
    const ns = `ns-${String(Math.floor(d / 10)).padStart(3, '0')}`;
    ensureNamespace(sim, ns);
    const replicas = Math.min(perDeployment, podCount - d * perDeployment);
    addWorkload(sim, {
      namespace: ns,
      name: `app-${String(d).padStart(4, '0')}`,
      replicas,
      image: `registry.example.com/app:${1 + (d % 7)}.0`,
      port: 8080,
      created,
      nodes,
      requests: { cpu: '100m', memory: '128Mi' },
    });
  }
}

export function applySeed(sim: SimCluster, seed: string, index: number): void {
  if (seed === 'demo') {
    seedDemo(sim, index);
    return;
  }
  const m = /^scale:(\d+)x(\d+)$/.exec(seed);
  if (m) {
    seedScale(sim, Number(m[1]), Number(m[2]));
    return;
  }
  const f = /^fleet:(\d+)x(\d+)$/.exec(seed);
  if (f) {
    seedFleet(sim, Number(f[1]), Number(f[2]));
    return;
  }
  throw new Error(
    `unknown seed "${seed}" (use demo, scale:<nodes>x<pods> or fleet:<nodes>x<pods>)`,
  );
}
