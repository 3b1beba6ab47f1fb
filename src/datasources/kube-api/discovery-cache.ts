/**
 * API discovery per cluster and group/version, kept for a short time: every authenticated
 * caller may read discovery, so one answer serves all callers of a cluster.
 */
export interface DiscoveredResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface DiscoveryCache {
  resources(
    clusterId: string,
    apiVersion: string,
    load: () => Promise<DiscoveredResource[]>,
  ): Promise<DiscoveredResource[]>;
}

export function createDiscoveryCache(ttlMs: number, now: () => number): DiscoveryCache {
  const entries = new Map<string, { at: number; value: Promise<DiscoveredResource[]> }>();
  return {
    resources(clusterId, apiVersion, load) {
      const key = `${clusterId}\u0000${apiVersion}`;
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = load();
      entries.set(key, { at: now(), value });
      // A failed discovery (a forbidden caller, an outage) is not remembered.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
  };
}
