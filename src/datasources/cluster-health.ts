/**
 * The registry's health side: probes clusters (each on its own schedule, or one on demand),
 * folds each outcome into the cluster's verdict (hysteresis, slow, flapping: health-verdict.ts)
 * and stores a changed state (and the first time a cluster is found answering) so every
 * replica can show it. The verdict is only shown: it never opens the data path's circuit
 * breaker, which the data path's own calls feed, so a slow cluster keeps working through the
 * proxy. What users see is the state and a safe message; why an endpoint could not be reached
 * goes to the log (ADR 0011).
 */
import { type AgentHealth, type ClusterHealth, isAnswering } from '../domain/cluster.js';
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
import type { TunnelHub } from './tunnel/tunnel-hub.js';

/** What an agent cluster's health says while no agent session is connected here. */
export const NO_AGENT_MESSAGE = 'no agent is connected';

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
  /** This replica's agent tunnels, for agent clusters (ADR 0017). */
  readonly tunnels?: TunnelHub;
}

const NOT_PROBED: ClusterHealth = { state: 'unavailable', message: 'not probed yet' };

export class ClusterHealthKeeper {
  readonly #o: ClusterHealthOptions;
  readonly #verdicts = new Map<string, HealthVerdict>();
  readonly #inFlight = new Map<string, Promise<ClusterHealth>>();
  readonly #nodesListedAt = new Map<string, number>();
  /** Agent clusters whose circuit a probe opened (see `#probe`). */
  readonly #tripped = new Set<string>();

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

  /**
   * The health this replica's probes settled on, else the stored one. An agent cluster whose
   * agent is not connected here shows the stored health (written by the replica that holds its
   * tunnel) and its agent's state.
   */
  healthOf(record: ClusterRecord): ClusterHealth {
    const stored = record.health === undefined ? NOT_PROBED : fromStoredHealth(record.health);
    const mine = this.#verdicts.get(record.id)?.shown;
    if (record.transport !== 'agent') return mine ?? stored;
    const health = this.#hasAgent(record) ? (mine ?? stored) : stored;
    return { ...health, agent: this.#agentHealth(record) };
  }

  #hasAgent(record: ClusterRecord): boolean {
    return this.#o.tunnels?.connected(record.id) === true;
  }

  #agentHealth(record: ClusterRecord): AgentHealth {
    const here = this.#o.tunnels?.health(record.id) ?? { connected: false, sessions: 0 };
    const seen = record.agent;
    if (seen === undefined || (here.lastSeenAt ?? 0) >= seen.lastSeenAt) return here;
    return { ...here, lastSeenAt: seen.lastSeenAt, version: here.version ?? seen.version };
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
    // An agent cluster whose agent is connected to another replica is that replica's to
    // probe: from here it would only ever look unreachable.
    return records.filter((r) => r.value.transport !== 'agent' || this.#hasAgent(r.value));
  }

  async #probe(stored: StoredRecord<ClusterRecord>): Promise<ClusterHealth> {
    if (!stored.value.impersonatorToken) return this.healthOf(stored.value);
    let verdict = this.#verdictOf(stored.value);
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
    if (stored.value.transport === 'agent' && !this.#hasAgent(stored.value)) {
      // Nothing to dial: say so at once (no hysteresis), and let the breaker answer requests
      // quickly instead of each waiting for a connection that cannot be made.
      const health = verdict.record({
        health: { state: 'unavailable', checkedAt: this.#o.now(), message: NO_AGENT_MESSAGE },
        slowestCallMs: 0,
        timedOut: true,
      });
      live.health = health;
      live.breaker.trip();
      await this.#write(stored.id, health, undefined);
      return this.healthOf({ ...stored.value, health: toStoredHealth(health) });
    }
    if (stored.value.transport === 'agent' && verdict.shown.message === NO_AGENT_MESSAGE) {
      // Its agent is back: a new start, not a flaky network, so no hysteresis on the way up,
      // and the circuit opened for want of any route closes.
      live.breaker.recordSuccess();
      verdict = new HealthVerdict(NOT_PROBED, { now: this.#o.now, ...this.#o.verdict });
      this.#verdicts.set(stored.id, verdict);
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
    if (stored.value.transport === 'agent') {
      // Behind an agent, a refusal the agent reports is certain (it sits beside the API
      // server): the circuit opens with it, as it does with no agent at all. A timeout never
      // opens it, so a slow cluster still works; a probe that finds it answering closes it.
      if (health.state === 'unavailable' && outcome.timedOut !== true) {
        live.breaker.trip();
        this.#tripped.add(stored.id);
      } else if (isAnswering(health.state) && this.#tripped.delete(stored.id)) {
        live.breaker.recordSuccess();
      }
    }
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
