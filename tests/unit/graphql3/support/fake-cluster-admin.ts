/** An in-memory ClusterAdmin that records what it was given (tokens included, to assert on). */
import type { ClusterSummary } from '../../../../src/domain/cluster.js';
import type { ClusterAdmin } from '../../../../src/domain/cluster-admin.js';
import { PaddockError } from '../../../../src/errors/index.js';
import { T0 } from '../../graphql/support/fake-ports.js';

export interface FakeClusterAdmin extends ClusterAdmin {
  readonly clusters: Map<string, ClusterSummary>;
  readonly calls: { method: string; input: unknown }[];
}

export function createFakeClusterAdmin(): FakeClusterAdmin {
  const clusters = new Map<string, ClusterSummary>();
  const calls: { method: string; input: unknown }[] = [];
  let seq = 0;
  const make = (
    id: string | undefined,
    name: string,
    description: string | undefined,
    endpoint: string,
    importMethod: ClusterSummary['importMethod'],
  ): ClusterSummary => {
    seq += 1;
    const summary: ClusterSummary = {
      id: id ?? `c-new${seq}`,
      name,
      description: description ?? '',
      endpoint,
      importMethod,
      dangerouslySkipTlsVerify: false,
      createdAt: T0,
      updatedAt: T0,
      health:
        importMethod === 'manifest' && endpoint === ''
          ? { state: 'pending' }
          : { state: 'active', version: 'v1.31.0' },
    };
    if (clusters.has(summary.id)) throw new PaddockError('CONFLICT', 'cluster id taken');
    clusters.set(summary.id, summary);
    return summary;
  };
  const need = (id: string) => {
    const found = clusters.get(id);
    if (found === undefined) throw new PaddockError('NOT_FOUND', `cluster ${id} not found`);
    return found;
  };
  return {
    clusters,
    calls,
    async importDirect(input) {
      calls.push({ method: 'importDirect', input });
      return make(input.id, input.name, input.description, input.endpoint, 'direct');
    },
    async importFromKubeconfig(input) {
      calls.push({ method: 'importFromKubeconfig', input });
      if (!input.kubeconfig.includes('clusters:')) {
        throw new PaddockError('VALIDATION_FAILED', 'not a kubeconfig');
      }
      const name = input.name ?? input.context ?? 'from-kubeconfig';
      return make(input.id, name, input.description, 'https://kc.example:6443', 'kubeconfig');
    },
    async createPendingImport(input) {
      calls.push({ method: 'createPendingImport', input });
      return make(input.id, input.name, input.description, '', 'manifest');
    },
    async importManifest(clusterId) {
      need(clusterId);
      return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: paddock-system # ${clusterId}\n`;
    },
    async completeManifestImport(clusterId, input) {
      calls.push({ method: 'completeManifestImport', input: { clusterId, ...input } });
      const found = need(clusterId);
      const done: ClusterSummary = {
        ...found,
        endpoint: input.endpoint,
        health: { state: 'active', version: 'v1.31.0' },
      };
      clusters.set(clusterId, done);
      return done;
    },
    async update(clusterId, changes) {
      calls.push({ method: 'update', input: { clusterId, ...changes } });
      const updated = { ...need(clusterId), ...changes, updatedAt: T0 + 1000 };
      clusters.set(clusterId, updated);
      return updated;
    },
    async remove(clusterId) {
      calls.push({ method: 'remove', input: clusterId });
      return clusters.delete(clusterId);
    },
  };
}
