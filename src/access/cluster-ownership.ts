/**
 * The `ClusterOwnership` port: a cluster's creator is bound cluster-owner of it (as Rancher
 * does), and a removed cluster's bindings and projects go with it, so a cluster imported later
 * under the same id starts with no members.
 */
import type { ClusterOwnership } from '../domain/cluster-ownership.js';
import { hasErrorCode } from '../errors/index.js';
import type { StoreAccessState } from './access-state.js';
import type { BindingStore } from './binding-store.js';
import type { ProjectStore } from './project-store.js';

export const CLUSTER_OWNER_TEMPLATE = 'cluster-owner';

export class StoreClusterOwnership implements ClusterOwnership {
  readonly #bindings: BindingStore;
  readonly #projects: ProjectStore;
  readonly #state: StoreAccessState;

  constructor(bindings: BindingStore, projects: ProjectStore, state: StoreAccessState) {
    this.#bindings = bindings;
    this.#projects = projects;
    this.#state = state;
  }

  async grantOwner(clusterId: string, userId: string): Promise<void> {
    await this.#bindings
      .bindCluster(clusterId, CLUSTER_OWNER_TEMPLATE, { kind: 'user', userId })
      .catch((err: unknown) => {
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      });
    this.#state.invalidate(clusterId);
  }

  async forgetCluster(clusterId: string): Promise<void> {
    for (const b of await this.#bindings.projectBindings(clusterId)) {
      await this.#bindings.project.delete(b.id);
    }
    for (const b of await this.#bindings.clusterBindings(clusterId)) {
      await this.#bindings.cluster.delete(b.id);
    }
    for (const p of await this.#projects.list(clusterId)) await this.#projects.delete(p.id);
    this.#state.invalidate(clusterId);
  }
}
