/**
 * The registry's health side: probes clusters (each on its own schedule, or one on demand),
 * folds each outcome into the cluster's verdict (hysteresis, slow, flapping: health-verdict.ts)
 * and stores a changed state (and the first time a cluster is found answering) so every
 * replica can show it. The verdict is only shown: it never opens the data path's circuit
 * breaker, which the data path's own calls feed, so a slow cluster keeps working through the
 * proxy. What users see is the state and a safe message; why an endpoint could not be reached
 * goes to the log (ADR 0011).
 */
import { type ClusterHealth, isAnswering } from '../domain/cluster.js';
import type { Logger } from '../domain/logger.js';
import type { OutboundGuard } from '../domain/outbound-guard.js';
import { UNREACHABLE_ENDPOINT_MESSAGE } from '../domain/outbound-guard.js';
import type { Collection, StoredRecord } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import type { ClusterRecord } from './cluster-records.js';
import { probeClusterHealth } from './health-probe.js';
import { HealthVerdict, type HealthVerdictOptions, type ProbeResult } from './health-verdict.js';
import type { LiveCluster, LiveClusters } from './live-clusters.js';
import { fromStoredHealth, toStoredHealth } from './stored-health.js';

export interface ClusterHealthOptions {
  readonly clusters: Collection<ClusterRecord>;
  readonly live: LiveClusters;
  readonly logger: Logger;
  readonly now: () => number;
  /** Deadline of each call a probe makes: no answer by then counts as down. */
  readonly probeTimeoutMs: number;
  readonly outbound: OutboundGuard | undefined;
  /** Aborts the probes under way when the registry stops. */
  readonly signal?: () => AbortSignal | undefined;
  /** Hysteresis and the slow threshold (see HealthVerdict). */
  readonly verdict?: Omit<HealthVerdictOptions, 'now'>;
  /** How often nodes are listed (the other calls run on every probe); default 30 s. */
  readonly nodesEveryMs?: number;
}

const NOT_PROBED: ClusterHealth = { state: 'unavailable', message: 'not probed yet' };

export class ClusterHealthKeeper {
  readonly #o: ClusterHealthOptions;
  readonly #verdicts = new Map<string, HealthVerdict>();
  readonly #inFlight = new Map<string, Promise<ClusterHealth>>();
  readonly #nodesListedAt = new Map<string, number>();

  constructor(options: ClusterHealthOptions) {
    this.#o = options;
  }

  /** Probes every cluster with credentials, concurrently, and waits for all of them. */
  async probeAll(): Promise<void> {
    const records = await this.#probeList();
    await Promise.all(records.map((r) => this.probe(r).catch(() => undefined)));
  }

  /**
   * Starts a probe of every cluster that has none under way, without waiting: a cluster whose
   * probe is still waiting for an answer keeps the others on their schedule.
   */
  async probeDue(): Promise<void> {
    for (const record of await this.#probeList()) {
      if (this.#inFlight.has(record.id)) continue;
      this.probe(record).catch((err: unknown) =>
        this.#o.logger.warn({ err, clusterId: record.id }, 'cluster health probe failed'),
      );
    }
  }

  /** Probes one stored cluster now (or joins the probe under way) and returns its health. */
  probe(stored: StoredRecord<ClusterRecord>): Promise<ClusterHealth> {
    const running = this.#inFlight.get(stored.id);
    if (running !== undefined) return running;
    const probe = this.#probe(stored).finally(() => this.#inFlight.delete(stored.id));
    this.#inFlight.set(stored.id, probe);
    return probe;
  }

  /** The health this replica's probes settled on, else the stored one. */
  healthOf(record: ClusterRecord): ClusterHealth {
    return (
      this.#verdicts.get(record.id)?.shown ??
      (record.health === undefined ? NOT_PROBED : fromStoredHealth(record.health))
    );
  }

  async #probeList(): Promise<StoredRecord<ClusterRecord>[]> {
    // New network settings: rebuild every transport, so each endpoint is checked again.
    if (this.#o.outbound !== undefined && (await this.#o.outbound.refresh())) {
      await this.#o.live.closeAll();
    }
    const records = await this.#o.clusters.list().catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'cluster registry: cannot list clusters to probe');
      return undefined;
    });
    if (records === undefined) return [];
    const ids = new Set(records.map((r) => r.id));
    for (const id of this.#verdicts.keys()) {
      if (!ids.has(id)) {
        this.#verdicts.delete(id);
        this.#nodesListedAt.delete(id);
      }
    }
    return records;
  }

  async #probe(stored: StoredRecord<ClusterRecord>): Promise<ClusterHealth> {
    if (!stored.value.impersonatorToken) return this.healthOf(stored.value);
    const verdict = this.#verdictOf(stored.value);
    let live: LiveCluster;
    try {
      live = this.#o.live.for(stored);
    } catch (err) {
      // The endpoint is an address the network settings now deny.
      const health = verdict.record({
        health: {
          state: 'unavailable',
          checkedAt: this.#o.now(),
          message: UNREACHABLE_ENDPOINT_MESSAGE,
        },
        slowestCallMs: 0,
        timedOut: true,
      });
      await this.#write(stored.id, health, (err as Error).message);
      return health;
    }
    const signal = this.#o.signal?.();
    const slowMs = this.#o.verdict?.slowMs ?? 2_000;
    const waiting = setTimeout(() => {
      const before = verdict.shown.state;
      const health = verdict.waiting(slowMs);
      live.health = health;
      if (health.state !== before) void this.#write(stored.id, health, undefined);
    }, slowMs);
    waiting.unref();
    const listedAt = this.#nodesListedAt.get(stored.id);
    const listNodes =
      listedAt === undefined || this.#o.now() - listedAt >= (this.#o.nodesEveryMs ?? 30_000);
    let outcome: Awaited<ReturnType<typeof probeClusterHealth>>;
    try {
      outcome = await probeClusterHealth({
        endpoint: live.endpoint,
        dispatcher: live.dispatcher,
        managerToken: live.managerToken,
        impersonatorToken: live.impersonatorToken,
        timeoutMs: this.#o.probeTimeoutMs,
        now: this.#o.now,
        listNodes,
        previous: verdict.shown,
        ...(signal === undefined ? {} : { signal }),
      });
    } finally {
      clearTimeout(waiting);
    }
    // Cut short by a shutdown: that says nothing about the cluster.
    if (signal?.aborted) return verdict.shown;
    if (listNodes && outcome.health.nodesTotal !== undefined) {
      this.#nodesListedAt.set(stored.id, this.#o.now());
    }
    const result: ProbeResult = {
      health: outcome.health,
      slowestCallMs: outcome.slowestCallMs,
      ...(outcome.timedOut ? { timedOut: true } : {}),
    };
    const health = verdict.record(result);
    live.health = health;
    await this.#write(stored.id, health, outcome.detail);
    return health;
  }

  #verdictOf(record: ClusterRecord): HealthVerdict {
    let verdict = this.#verdicts.get(record.id);
    if (verdict === undefined) {
      const initial = record.health === undefined ? NOT_PROBED : fromStoredHealth(record.health);
      verdict = new HealthVerdict(initial, { now: this.#o.now, ...this.#o.verdict });
      this.#verdicts.set(record.id, verdict);
    }
    return verdict;
  }

  /** Stores a changed state, and clears `awaitingActive` once the cluster answers. */
  async #write(id: string, health: ClusterHealth, detail: string | undefined): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const stored = await this.#o.clusters.get(id);
      if (stored === undefined) return;
      const before = stored.value.health && fromStoredHealth(stored.value.health);
      // Only a new state is written: a slow cluster's timings change on every probe.
      const changed = before?.state !== health.state;
      const activated = isAnswering(health.state) && stored.value.awaitingActive === true;
      if (!changed && !activated) return;
      if (changed) {
        this.#o.logger.info(
          { clusterId: id, state: health.state, message: health.message, detail },
          'cluster health changed',
        );
      }
      const { awaitingActive, ...rest } = stored.value;
      try {
        await this.#o.clusters.update(
          id,
          { ...rest, ...(activated ? {} : { awaitingActive }), health: toStoredHealth(health) },
          { resourceVersion: stored.resourceVersion },
        );
        return;
      } catch (err) {
        if (hasErrorCode(err, 'NOT_FOUND')) return;
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      }
    }
  }
}
