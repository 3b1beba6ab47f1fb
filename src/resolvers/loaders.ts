/**
 * Per-request DataLoaders: each is created with the request's context and dies with it, so a
 * query that names the same user or cluster many times asks the port once, and nothing cached
 * outlives the caller's rights.
 */
import DataLoader from 'dataloader';
import type { ClusterSummary } from '../domain/cluster.js';
import type { Identity } from '../domain/identity.js';
import type { UserView } from '../domain/user-directory.js';
import type { GraphQLPorts } from './context.js';

export interface Loaders {
  readonly userById: DataLoader<string, UserView | undefined>;
  /** The registry's clusters, read once per request. */
  allClusters(): Promise<readonly ClusterSummary[]>;
  /** The clusters the caller may see (membership and key scope applied), once per request. */
  visibleClusters(): Promise<readonly ClusterSummary[]>;
}

export function createLoaders(ports: GraphQLPorts, identity: Identity | undefined): Loaders {
  let all: Promise<readonly ClusterSummary[]> | undefined;
  let visible: Promise<readonly ClusterSummary[]> | undefined;
  const allClusters = () => {
    all ??= ports.clusters.list();
    return all;
  };
  return {
    userById: new DataLoader((ids) => Promise.all(ids.map((id) => ports.users.get(id)))),
    allClusters,
    visibleClusters() {
      visible ??= (async () => {
        if (identity === undefined) return [];
        const [clusters, allowed] = await Promise.all([
          allClusters(),
          ports.authorizer.visibleClusterIds(identity),
        ]);
        const scope = identity.scope?.clusterId;
        return clusters.filter(
          (c) =>
            (allowed === 'all' || allowed.has(c.id)) && (scope === undefined || scope === c.id),
        );
      })();
      return visible;
    },
  };
}
