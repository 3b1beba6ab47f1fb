import type { ClusterRegistry } from '../../domain/cluster.js';
import type { FanOutOptions, KubeApi } from '../../domain/kube-api.js';
import { createDiscoveryCache } from './discovery-cache.js';
import { CallerKubeClient } from './kube-client.js';

export interface KubeApiOptions {
  /** The registry (its `connection()` gives endpoint, dispatcher, token, gate). */
  readonly connections: ClusterRegistry;
  /** Deadline of one call; default 10 s. */
  readonly timeoutMs?: number;
  /** Defaults for fan-outs: per-cluster deadline 5 s, 16 clusters at once. */
  readonly fanOut?: FanOutOptions;
  /** How long discovery answers are kept; default 60 s. */
  readonly discoveryTtlMs?: number;
  readonly now?: () => number;
}

/** The `KubeApi` port over the registry's connections. */
export function createKubeApi(options: KubeApiOptions): KubeApi {
  const settings = {
    connections: options.connections,
    timeoutMs: options.timeoutMs ?? 10_000,
    fanOut: options.fanOut ?? {},
    discovery: createDiscoveryCache(options.discoveryTtlMs ?? 60_000, options.now ?? Date.now),
  };
  return {
    forCaller: (identity) => new CallerKubeClient(identity, settings),
  };
}
