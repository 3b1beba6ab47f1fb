/**
 * The latest outcome per cluster of a background controller. The controller runs on one
 * replica at a time (through its lease) and `put`s here; every replica answers `status` from
 * memory, kept equal to what the running replica wrote.
 */
export interface StatusBoard<T extends { readonly clusterId: string }> {
  status(clusterId: string): T | undefined;
  statuses(): readonly T[];
  put(status: T): void;
  remove(clusterId: string): void;
}

/** A board of one process (tests, single-replica use): no store behind it. */
export function memoryStatusBoard<T extends { readonly clusterId: string }>(): StatusBoard<T> {
  const statuses = new Map<string, T>();
  return {
    status: (clusterId) => statuses.get(clusterId),
    statuses: () => [...statuses.values()],
    put: (status) => {
      statuses.set(status.clusterId, status);
    },
    remove: (clusterId) => {
      statuses.delete(clusterId);
    },
  };
}
