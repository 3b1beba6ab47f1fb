/**
 * What cluster registration asks of authorization: the creator of a cluster becomes its
 * cluster-owner (as in Rancher), and a removed cluster leaves no binding or project behind
 * that a later cluster with the same id would inherit. `src/access` implements it.
 */
export interface ClusterOwnership {
  grantOwner(clusterId: string, userId: string): Promise<void>;
  /** Removes every cluster and project binding and every project of the cluster. */
  forgetCluster(clusterId: string): Promise<void>;
}
