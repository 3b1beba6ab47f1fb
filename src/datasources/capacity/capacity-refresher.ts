/**
 * Reads every cluster's capacity (node capacity and allocatable, pod requests and limits) in
 * the background with the manager account, into a board every replica serves from memory
 * (capacity-board.ts), so the "all clusters on one page" query costs no downstream call. It is
 * a controller: one replica at a time reads, through a lease in the store. A cluster whose
 * last good read is too old answers nothing, and GraphQL then computes it as the caller.
 */
import { type ClusterSummary, isAnswering } from '../../domain/cluster.js';
import type { Controller } from '../../domain/controller.js';
import type {
  ClusterCapacityReader,
  ClusterCapacitySnapshot,
  KubeObject,
} from '../../domain/kube-api.js';
import type { Logger } from '../../domain/logger.js';
import { add, sumPods, totalsOf, ZERO } from '../../rbac/resource-totals.js';
import type { ManagerConnection } from '../cluster-registry.js';
import { ManagerClient } from '../rbac-sync/manager-client.js';
import { type CapacityBoard, MemoryCapacityBoard } from './capacity-board.js';

export interface CapacityClusters {
  list(): Promise<ClusterSummary[]>;
  managerConnection(clusterId: string): Promise<ManagerConnection | undefined>;
  /** Cluster changes, so a cluster that turns active is read at once. */
  onChange?(listener: (clusterId: string, removed: boolean) => void): () => void;
}

export interface CapacityRefresherOptions {
  readonly clusters: CapacityClusters;
  readonly logger: Logger;
  /** Time between reads of one cluster; default 30 s. */
  readonly intervalMs?: number;
  /** Deadline of one list call; default 10 s. */
  readonly timeoutMs?: number;
  /**
   * Clusters read at once in a pass; default 16. A thousand clusters read all at once time
   * out together on a busy replica and leave the page without capacity.
   */
  readonly concurrency?: number;
  readonly now?: () => number;
  /** Where snapshots go; default this replica's memory only. */
  readonly board?: CapacityBoard;
}

export class CapacityRefresher implements ClusterCapacityReader, Controller {
  readonly name = 'capacity';
  readonly #o: CapacityRefresherOptions;
  readonly #now: () => number;
  readonly #board: CapacityBoard;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastPassMs = 0;
  #unwatch: (() => void) | undefined;
  /** Aborted by `stop`: reads under way end at once, not at their deadline. */
  #abort: AbortController | undefined;

  constructor(options: CapacityRefresherOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#board =
      options.board ??
      new MemoryCapacityBoard({ staleAfterMs: 3 * this.#intervalMs, now: this.#now });
  }

  get #intervalMs(): number {
    return this.#o.intervalMs ?? 30_000;
  }

  capacity(clusterId: string): Promise<ClusterCapacitySnapshot | undefined> {
    return this.#board.capacity(clusterId);
  }

  /** Starts reading; `signal` (the lease's) ends the reads under way when it aborts. */
  start(signal?: AbortSignal): void {
    if (this.#timer !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.refreshAll().finally(() => {
          if (this.#timer !== undefined) loop();
        });
      }, this.#intervalMs);
      this.#timer.unref();
    };
    loop();
    this.#unwatch = this.#o.clusters.onChange?.(() => void this.refreshAll());
    void this.refreshAll();
  }

  async stop(): Promise<void> {
    this.#unwatch?.();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
    await this.#running;
  }

  /** Reads every registered cluster once (clusters one after the other share one pass). */
  refreshAll(): Promise<void> {
    const started = this.#now();
    this.#running ??= this.#pass().finally(() => {
      this.#lastPassMs = Math.max(0, this.#now() - started);
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<void> {
    let clusters: ClusterSummary[];
    try {
      clusters = await this.#o.clusters.list();
    } catch (err) {
      this.#o.logger.warn({ err }, 'capacity: cannot list clusters');
      return;
    }
    await this.#board
      .retain(new Set(clusters.map((c) => c.id)))
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'capacity: cannot forget clusters'));
    const answering = clusters.filter((c) => isAnswering(c.health.state));
    let next = 0;
    const worker = async () => {
      while (next < answering.length) await this.#refresh(answering[next++]!.id);
    };
    const workers = Math.max(1, Math.min(this.#o.concurrency ?? 16, answering.length));
    await Promise.all(Array.from({ length: workers }, worker));
  }

  async #refresh(clusterId: string): Promise<void> {
    try {
      const connection = await this.#o.clusters.managerConnection(clusterId);
      if (connection === undefined) return;
      const signal = this.#abort?.signal;
      const client = new ManagerClient(connection, {
        timeoutMs: this.#o.timeoutMs ?? 10_000,
        ...(signal === undefined ? {} : { signal }),
      });
      const [nodes, pods] = await Promise.all([
        client.list<KubeObject>('/api/v1/nodes'),
        client.list<KubeObject>('/api/v1/pods'),
      ]);
      const status = (n: KubeObject) =>
        (n.status ?? {}) as { capacity?: unknown; allocatable?: unknown };
      await this.#board.put(clusterId, {
        capacity: nodes.items.reduce((a, n) => add(a, totalsOf(status(n).capacity)), ZERO),
        allocatable: nodes.items.reduce((a, n) => add(a, totalsOf(status(n).allocatable)), ZERO),
        requested: sumPods(pods.items, 'requests'),
        limits: sumPods(pods.items, 'limits'),
        readAt: this.#now(),
        // A pass over a thousand clusters can take longer than the interval: a read counts as
        // current for three rounds of interval plus pass, so a slow pass does not blank the page.
        staleAfterMs: 3 * (this.#intervalMs + this.#lastPassMs),
      });
    } catch (err) {
      this.#o.logger.debug({ err, clusterId }, 'capacity: read failed; keeping the last one');
    }
  }
}
