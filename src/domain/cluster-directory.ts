/**
 * The registered clusters as read-only data for the GraphQL layer: summaries and the health the
 * registry refreshes in the background, served from memory. `DatasourceClusterRegistry` from
 * `src/datasources` fits this shape.
 */
import type { ClusterSummary } from './cluster.js';

export interface ClusterDirectory {
  list(): Promise<ClusterSummary[]>;
  get(clusterId: string): Promise<ClusterSummary | undefined>;
}
