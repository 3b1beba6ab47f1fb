/**
 * An in-memory ClusterAdmin that records what it was given (tokens included, to assert on) and
 * who asked; it decides nothing (the real per-cluster checks are ClusterAdminService's).
 */
import type { ClusterSummary } from '../../../../src/domain/cluster.js';
import type { ClusterAdmin, ClusterAdminCaller } from '../../../../src/domain/cluster-admin.js';
import { PaddockError } from '../../../../src/errors/index.js';
import { T0 } from '../../graphql/support/fake-ports.js';

export interface FakeClusterAdmin extends ClusterAdmin {
  readonly clusters: Map<string, ClusterSummary>;
  readonly calls: { method: string; input: unknown; userId?: string; requestId?: string }[];
}

export function createFakeClusterAdmin(): FakeClusterAdmin {
  const clusters = new Map<string, ClusterSummary>();
  const calls: FakeClusterAdmin['calls'] = [];
  const record = (method: string, caller: ClusterAdminCaller, input: unknown) =>
    calls.push({ method, input, userId: caller.identity.userId, requestId: caller.requestId });
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
    async importDirect(caller, input) {
      record('importDirect', caller, input);
      return make(input.id, input.name, input.description, input.endpoint, 'direct');
    },
    async importFromKubeconfig(caller, input) {
      record('importFromKubeconfig', caller, input);
      if (!input.kubeconfig.includes('clusters:')) {
        throw new PaddockError('VALIDATION_FAILED', 'not a kubeconfig');
      }
      const name = input.name ?? input.context ?? 'from-kubeconfig';
      return make(input.id, name, input.description, 'https://kc.example:6443', 'kubeconfig');
    },
    async createPendingImport(caller, input) {
      record('createPendingImport', caller, input);
      const made = make(input.id, input.name, input.description, '', 'manifest');
      if (input.transport !== 'agent') return made;
      const agent: ClusterSummary = { ...made, transport: 'agent' };
      clusters.set(agent.id, agent);
      return agent;
    },
    async importManifest(_caller, clusterId) {
      need(clusterId);
      return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: paddock-system # ${clusterId}\n`;
    },
    async completeManifestImport(caller, clusterId, input) {
      record('completeManifestImport', caller, { clusterId, ...input });
      const found = need(clusterId);
      const done: ClusterSummary = {
        ...found,
        endpoint: input.endpoint,
        health: { state: 'active', version: 'v1.31.0' },
      };
      clusters.set(clusterId, done);
      return done;
    },
    async updateConnection(caller, clusterId, input) {
      record('updateConnection', caller, { clusterId, ...input });
      const updated = { ...need(clusterId), endpoint: input.endpoint, updatedAt: T0 + 2000 };
      clusters.set(clusterId, updated);
      return updated;
    },
    async update(caller, clusterId, changes) {
      record('update', caller, { clusterId, ...changes });
      const updated = { ...need(clusterId), ...changes, updatedAt: T0 + 1000 };
      clusters.set(clusterId, updated);
      return updated;
    },
    async rotateAgentSecret(caller, clusterId) {
      record('rotateAgentSecret', caller, clusterId);
      const found = need(clusterId);
      if (found.transport !== 'agent') {
        throw new PaddockError('CONFLICT', `cluster ${clusterId} is not reached through an agent`, {
          reason: 'not_agent_cluster',
        });
      }
      return found;
    },
    async remove(caller, clusterId) {
      record('remove', caller, clusterId);
      return clusters.delete(clusterId);
    },
  };
}
