/**
 * The registry's health side: probes clusters (every one concurrently, or one on demand),
 * feeds each outcome to the cluster's circuit breaker, and stores a changed state (and the
 * first time a cluster is found active) so every replica can show it. What users see is the
 * state and a safe message; why an endpoint could not be reached goes to the log (ADR 0011).
 */
import type { ClusterHealth } from '../domain/cluster.js';
import type { Logger } from '../domain/logger.js';
import type { OutboundGuard } from '../domain/outbound-guard.js';
import { UNREACHABLE_ENDPOINT_MESSAGE } from '../domain/outbound-guard.js';
import type { Collection, StoredRecord } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import type { ClusterRecord } from './cluster-records.js';
import { probeClusterHealth } from './health-probe.js';
import type { LiveCluster, LiveClusters } from './live-clusters.js';

export interface ClusterHealthOptions {
  readonly clusters: Collection<ClusterRecord>;
  readonly live: LiveClusters;
  readonly logger: Logger;
  readonly now: () => number;
  /** Deadline of each call a probe makes. */
  readonly probeTimeoutMs: number;
  readonly outbound: OutboundGuard | undefined;
  /** Aborts the probes under way when the registry stops. */
  readonly signal?: () => AbortSignal | undefined;
}

export class ClusterHealthKeeper {
  readonly #o: ClusterHealthOptions;

  constructor(options: ClusterHealthOptions) {
    this.#o = options;
  }

  /** Probes every cluster with credentials, concurrently; one slow cluster delays no other. */
  async probeAll(): Promise<void> {
    // New network settings: rebuild every transport, so each endpoint is checked again.
    if (this.#o.outbound !== undefined && (await this.#o.outbound.refresh())) {
      await this.#o.live.closeAll();
    }
    const records = await this.#o.clusters.list().catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'cluster registry: cannot list clusters to probe');
      return [];
    });
    await Promise.all(records.map((r) => this.probe(r).catch(() => undefined)));
  }

  /** Probes one stored cluster now and returns its new health. */
  async probe(stored: StoredRecord<ClusterRecord>): Promise<ClusterHealth> {
    if (!stored.value.impersonatorToken) return this.healthOf(stored.value);
    let live: LiveCluster;
    try {
      live = this.#o.live.for(stored);
    } catch (err) {
      // The endpoint is an address the network settings now deny.
      const health: ClusterHealth = {
        state: 'unavailable',
        checkedAt: this.#o.now(),
        message: UNREACHABLE_ENDPOINT_MESSAGE,
      };
      await this.#write(stored, health, (err as Error).message);
      return health;
    }
    const signal = this.#o.signal?.();
    const outcome = await probeClusterHealth({
      endpoint: live.endpoint,
      dispatcher: live.dispatcher,
      managerToken: live.managerToken,
      impersonatorToken: live.impersonatorToken,
      timeoutMs: this.#o.probeTimeoutMs,
      now: this.#o.now,
      ...(signal === undefined ? {} : { signal }),
    });
    // Cut short by a shutdown: that says nothing about the cluster.
    if (signal?.aborted) return this.healthOf(stored.value);
    live.health = outcome.health;
    if (outcome.health.state === 'unavailable') live.breaker.trip();
    else live.breaker.recordSuccess();
    await this.#write(stored, outcome.health, outcome.detail);
    return outcome.health;
  }

  /** The health in memory (this replica's last probe), else the stored one. */
  healthOf(record: ClusterRecord): ClusterHealth {
    return (
      this.#o.live.peek(record.id)?.health ??
      record.health ?? { state: 'unavailable', message: 'not probed yet' }
    );
  }

  async #write(
    stored: StoredRecord<ClusterRecord>,
    health: ClusterHealth,
    detail: string | undefined,
  ): Promise<void> {
    const changed = stored.value.health?.state !== health.state;
    const activated = health.state === 'active' && stored.value.awaitingActive === true;
    if (!changed && !activated) return;
    if (changed) {
      this.#o.logger.info(
        { clusterId: stored.value.id, state: health.state, message: health.message, detail },
        'cluster health changed',
      );
    }
    const { awaitingActive, ...rest } = stored.value;
    await this.#o.clusters
      .update(
        stored.value.id,
        { ...rest, ...(activated ? {} : { awaitingActive }), health },
        { resourceVersion: stored.resourceVersion },
      )
      .catch((err: unknown) => {
        if (!hasErrorCode(err, 'CONFLICT') && !hasErrorCode(err, 'NOT_FOUND')) throw err;
      });
  }
}
