import type { ClusterConnection, ClusterHealth } from '../domain/cluster.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { StoredRecord } from '../domain/store.js';
import { PaddockError } from '../errors/index.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { type ClusterRecord, credentialPlace } from './cluster-records.js';
import {
  type ClusterTransport,
  createClusterTransport,
  type TransportOptions,
} from './cluster-transport.js';
import type { TunnelHub } from './tunnel/tunnel-hub.js';

/** A connection plus what only the registry uses (the manager token, the breaker's controls). */
export interface LiveCluster extends ClusterConnection {
  readonly managerToken: string;
  readonly breaker: CircuitBreaker;
  readonly transport: ClusterTransport;
  /** Changes when anything the sockets depend on changes. */
  readonly fingerprint: string;
  health: ClusterHealth;
}

export interface LiveClustersOptions {
  readonly secretBox: SecretBox;
  readonly transport?: TransportOptions;
  readonly breaker?: CircuitBreakerOptions;
  /** The agent tunnels of this replica; agent clusters have no transport without it. */
  readonly tunnels?: TunnelHub;
}

/**
 * The in-memory side of the registry: one transport and breaker per cluster, built on first
 * use from the stored record and rebuilt only when its endpoint, TLS or tokens change.
 */
export class LiveClusters {
  readonly #options: LiveClustersOptions;
  readonly #live = new Map<string, LiveCluster>();

  constructor(options: LiveClustersOptions) {
    this.#options = options;
  }

  /** The live cluster for a record with credentials, creating or refreshing it. */
  for(stored: StoredRecord<ClusterRecord>): LiveCluster {
    const record = stored.value;
    if (!record.endpoint || !record.impersonatorToken || !record.managerToken) {
      throw new PaddockError('UPSTREAM_UNAVAILABLE', `cluster ${record.id} is not imported yet`, {
        reason: 'cluster_pending',
      });
    }
    const fingerprint = fingerprintOf(record);
    const existing = this.#live.get(record.id);
    if (existing?.fingerprint === fingerprint) return existing;
    if (existing) void existing.transport.close();

    const box = this.#options.secretBox;
    const impersonatorToken = box.open(
      record.impersonatorToken,
      credentialPlace(record.id, 'impersonatorToken'),
    );
    const managerToken = box.open(record.managerToken, credentialPlace(record.id, 'managerToken'));
    const endpoint = new URL(record.endpoint);
    const transport = createClusterTransport(
      {
        endpoint,
        caPem: record.caPem,
        tlsServerName: record.tlsServerName,
        dangerouslySkipTlsVerify: record.dangerouslySkipTlsVerify,
      },
      this.#options.transport,
      record.transport === 'agent' ? this.#tunnelOf(record.id) : undefined,
    );
    const breaker = new CircuitBreaker(this.#options.breaker);
    const live: LiveCluster = {
      clusterId: record.id,
      endpoint,
      agent: transport.agent,
      dispatcher: transport.dispatcher,
      upstream: transport.upstream,
      impersonatorToken,
      managerToken,
      gate: breaker,
      breaker,
      transport,
      fingerprint,
      health: existing?.health ?? record.health ?? { state: 'unavailable', message: 'not probed' },
    };
    this.#live.set(record.id, live);
    return live;
  }

  #tunnelOf(clusterId: string) {
    const tunnels = this.#options.tunnels;
    if (tunnels === undefined) {
      throw new PaddockError(
        'UPSTREAM_UNAVAILABLE',
        `cluster ${clusterId} is reached through its agent, and agent tunnels are not enabled`,
        { reason: 'agent_tunnels_disabled' },
      );
    }
    return tunnels.dialer(clusterId);
  }

  /** Drops the live cluster if the record changed what its sockets depend on. */
  async refresh(record: ClusterRecord): Promise<void> {
    const live = this.#live.get(record.id);
    if (live !== undefined && live.fingerprint !== fingerprintOf(record))
      await this.drop(record.id);
  }

  peek(id: string): LiveCluster | undefined {
    return this.#live.get(id);
  }

  all(): LiveCluster[] {
    return [...this.#live.values()];
  }

  async drop(id: string): Promise<void> {
    const live = this.#live.get(id);
    this.#live.delete(id);
    await live?.transport.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.#live.values()];
    this.#live.clear();
    await Promise.all(all.map((l) => l.transport.close()));
  }
}

/** What the sockets of a cluster depend on; a change means new transports. */
export function fingerprintOf(r: ClusterRecord): string {
  return JSON.stringify([
    r.transport,
    r.endpoint,
    r.caPem,
    r.tlsServerName,
    r.dangerouslySkipTlsVerify,
    r.impersonatorToken,
    r.managerToken,
  ]);
}
