// "fleet:<nodes>x<pods>": the scale seed made varied enough to search and sort: teams as
// labels, pods created over a month, about one in ten not Running (Pending on an image pull,
// Failed, Succeeded), some restarted. Deterministic per cluster, so runs compare.

import { rfc3339 } from '../server/context.js';
import type { SimCluster } from '../server/sim-cluster.js';
import type { JsonObject } from '../storage/types.js';
import { buildDeployment, buildNode } from './builders.js';

export const FLEET_TEAMS = ['payments', 'shop', 'search', 'data', 'platform'];

/** A stable number in [0, 1) for a string (FNV-1a). */
function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

function notRunning(phase: 'Pending' | 'Failed' | 'Succeeded', base: JsonObject): JsonObject {
  const containers = (base.containerStatuses as JsonObject[]).map((c) => ({
    ...c,
    ready: false,
    started: false,
    state:
      phase === 'Pending'
        ? { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } }
        : {
            terminated: {
              exitCode: phase === 'Failed' ? 1 : 0,
              reason: phase === 'Failed' ? 'Error' : 'Completed',
              startedAt: base.startTime,
              finishedAt: base.startTime,
            },
          },
  }));
  const conditions = (base.conditions as JsonObject[]).map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False' } : c,
  );
  return { ...base, phase, conditions, containerStatuses: containers };
}

export function seedFleet(sim: SimCluster, nodeCount: number, podCount: number): void {
  const start = Date.UTC(2025, 0, 1);
  const nodes: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const name = `node-${String(i).padStart(4, '0')}`;
    nodes.push(name);
    sim.seed(
      'nodes',
      buildNode({ name, index: i, created: new Date(start), kubeletVersion: sim.kubeVersion }),
    );
  }
  const perDeployment = 5;
  const deployments = Math.ceil(podCount / perDeployment);
  for (let d = 0; d < deployments; d++) {
    const ns = `ns-${String(Math.floor(d / 10)).padStart(3, '0')}`;
    if (!sim.get('namespaces', '', ns)) sim.create('namespaces', { metadata: { name: ns } });
    const name = `app-${String(d).padStart(4, '0')}`;
    const team = FLEET_TEAMS[d % FLEET_TEAMS.length] ?? 'shop';
    const created = new Date(start + unit(`${sim.name}/${name}`) * 30 * 86_400_000);
    const { deployment, replicaSet, pods } = buildDeployment(sim, {
      namespace: ns,
      name,
      replicas: Math.min(perDeployment, podCount - d * perDeployment),
      image: `registry.example.com/${team}/app:${1 + (d % 7)}.0`,
      port: 8080,
      labels: { app: name, team },
      created,
      nodes,
      requests: { cpu: '100m', memory: '128Mi' },
      podStatus: (i, base) => {
        const u = unit(`${sim.name}/${name}/${i}`);
        if (u < 0.04) return notRunning('Pending', base);
        if (u < 0.07) return notRunning('Failed', base);
        if (u < 0.1) return notRunning('Succeeded', base);
        if (u > 0.9) {
          const restarts = 1 + Math.floor((u - 0.9) * 100);
          return {
            ...base,
            containerStatuses: (base.containerStatuses as JsonObject[]).map((c) => ({
              ...c,
              restartCount: restarts,
            })),
          };
        }
        return base;
      },
    });
    sim.seed('deployments.apps', deployment);
    sim.seed('replicasets.apps', replicaSet);
    pods.forEach((pod, i) => {
      // Pods of one deployment start minutes apart, so "newest first" means something.
      pod.metadata.creationTimestamp = rfc3339(new Date(created.getTime() + i * 61_000));
      sim.seed('pods', pod);
    });
  }
}
