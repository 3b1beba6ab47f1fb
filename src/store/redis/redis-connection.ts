import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './redis-url.js';

export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  /** How long a connection attempt may take before it counts as failed. */
  readonly connectTimeoutMs?: number;
}

/**
 * Builds an ioredis client for the target. Commands fail after a couple of reconnect attempts
 * rather than queueing forever, so a Redis outage surfaces as STORE_UNAVAILABLE instead of
 * hanging requests; reconnection itself goes on in the background.
 */
export function createRedisClient(
  target: RedisTarget,
  options: RedisConnectionOptions = {},
): RedisClient {
  const common: RedisOptions = {
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    lazyConnect: false,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: {} } : {}),
  };
  switch (target.mode) {
    case 'standalone':
      return new Redis({
        ...common,
        host: target.node.host,
        port: target.node.port,
        db: target.db,
      });
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
        name: target.masterName,
        db: target.db,
        ...(target.sentinelPassword === undefined
          ? {}
          : { sentinelPassword: target.sentinelPassword }),
        ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: common,
        clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2000),
      };
      return new Cluster(
        target.nodes.map((n) => ({ host: n.host, port: n.port })),
        clusterOptions,
      );
    }
  }
}
