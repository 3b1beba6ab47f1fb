/**
 * The push-down controller: one worker per registered cluster keeps its Paddock-owned RBAC,
 * quota and namespace labels equal to the access state. A worker runs when the access state
 * changes (for that cluster or all), when a namespace changes project (watch), and on a
 * periodic resync that repairs drift. Triggers coalesce: at most one pass runs per cluster and
 * at most one more is queued. Also serves the sync status and downstream reads (explainAccess).
 */
import type { Registry } from 'prom-client';
import type { ClusterSummary } from '../../domain/cluster.js';
import type { Controller } from '../../domain/controller.js';
import type { Logger } from '../../domain/logger.js';
import type { AccessStateSource } from '../../domain/rbac.js';
import type {
  DownstreamRbac,
  DownstreamRbacReader,
  NamespaceAssigner,
  RbacSyncStatus,
  RbacSyncStatusReader,
} from '../../domain/rbac-downstream.js';
import { memoryStatusBoard } from '../../domain/status-board.js';
import { PaddockError } from '../../errors/index.js';
import { PROJECT_ID_KEY, projectAnnotationValue, projectLabelValue } from '../../rbac/index.js';
import type { ManagerConnection } from '../cluster-registry.js';
import { readDownstreamRbac } from './downstream-reader.js';
import { NAMESPACES_PATH } from './kube-paths.js';
import { ManagerClient } from './manager-client.js';
import { NamespaceWatch } from './namespace-watch.js';
import { reconcileCluster } from './reconcile-cluster.js';
import { createSyncMetrics, type SyncMetrics } from './sync-metrics.js';
import type { SyncStatusBoard } from './sync-status-board.js';

/** The part of the cluster registry the push-down uses. */
export interface ManagedClusters {
  list(): Promise<ClusterSummary[]>;
  managerConnection(clusterId: string): Promise<ManagerConnection | undefined>;
  /** Cluster changes, so a newly imported cluster gets its bindings at once. */
  onChange?(listener: (clusterId: string, removed: boolean) => void): () => void;
}

export interface RbacSyncOptions {
  readonly clusters: ManagedClusters;
  readonly access: AccessStateSource;
  readonly logger: Logger;
  readonly metricsRegistry?: Registry;
  /** Time between full passes over every cluster (drift repair). */
  readonly resyncIntervalMs?: number;
  readonly callTimeoutMs?: number;
  /** Pause before a broken namespace watch is opened again. */
  readonly watchRetryMs?: number;
  readonly now?: () => number;
  /** Where outcomes go and are read from; default this replica's memory only. */
  readonly statuses?: SyncStatusBoard;
}

interface Worker {
  running: Promise<void> | undefined;
  dirty: boolean;
  watch: NamespaceWatch | undefined;
}

export class RbacSyncController
  implements RbacSyncStatusReader, DownstreamRbacReader, NamespaceAssigner, Controller
{
  readonly name = 'rbac-sync';
  readonly #o: RbacSyncOptions;
  readonly #now: () => number;
  readonly #metrics: SyncMetrics | undefined;
  readonly #workers = new Map<string, Worker>();
  readonly #statuses: SyncStatusBoard;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;
  #unwatchClusters: (() => void) | undefined;
  #stopped = true;
  /** Aborted by `stop`: passes under way end at once instead of at each call's deadline. */
  #abort: AbortController | undefined;

  constructor(options: RbacSyncOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metricsRegistry
      ? createSyncMetrics(options.metricsRegistry)
      : undefined;
    this.#statuses = options.statuses ?? memoryStatusBoard();
  }

  /**
   * Starts following the access state and every cluster; the first pass runs right away.
   * `signal` (the lease's) ends the passes under way when it aborts.
   */
  start(signal?: AbortSignal): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const abort = new AbortController();
    this.#abort = abort;
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    this.#unwatch = this.#o.access.watch((clusterId) => {
      if (clusterId === undefined) for (const id of this.#workers.keys()) this.#trigger(id);
      else this.#trigger(clusterId);
    });
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.resyncAll().finally(() => {
          if (!this.#stopped) loop();
        });
      }, this.#o.resyncIntervalMs ?? 60_000);
      this.#timer.unref();
    };
    loop();
    this.#unwatchClusters = this.#o.clusters.onChange?.((clusterId, removed) => {
      const pass = removed ? this.resyncAll() : this.sync(clusterId);
      pass.catch((err: unknown) => this.#o.logger.warn({ err, clusterId }, 'rbac sync failed'));
    });
    void this.resyncAll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#unwatch?.();
    this.#unwatchClusters?.();
    const workers = [...this.#workers.values()];
    this.#workers.clear();
    await Promise.all(
      workers.map(async (w) => {
        await w.watch?.stop();
        await w.running;
      }),
    );
  }

  /** Refreshes the cluster list (new clusters get a worker and a watch) and syncs them all. */
  async resyncAll(): Promise<void> {
    let clusters: ClusterSummary[];
    try {
      clusters = await this.#o.clusters.list();
    } catch (err) {
      this.#o.logger.warn({ err }, 'rbac sync: cannot list clusters');
      return;
    }
    const ids = new Set(clusters.map((c) => c.id));
    for (const [id, worker] of this.#workers) {
      if (ids.has(id)) continue;
      this.#workers.delete(id);
      this.#statuses.remove(id);
      void worker.watch?.stop();
    }
    await Promise.all([...ids].map((id) => this.sync(id)));
  }

  /** Runs a pass for one cluster now (or joins the one running) and waits for it. */
  async sync(clusterId: string): Promise<RbacSyncStatus | undefined> {
    const worker = this.#trigger(clusterId);
    while (worker.running) await worker.running;
    return this.#statuses.status(clusterId);
  }

  status(clusterId: string): RbacSyncStatus | undefined {
    return this.#statuses.status(clusterId);
  }

  statuses(): readonly RbacSyncStatus[] {
    return this.#statuses.statuses();
  }

  async read(clusterId: string): Promise<DownstreamRbac> {
    const client = await this.#client(clusterId);
    if (!client) {
      throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found or not imported`, {
        reason: 'cluster_not_found',
      });
    }
    return readDownstreamRbac(client, this.#now);
  }

  /** Writes the project annotation and label on a namespace; the watch then syncs it. */
  async assign(clusterId: string, namespace: string, projectId: string | null): Promise<void> {
    const client = await this.#client(clusterId);
    if (!client) {
      throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found or not imported`, {
        reason: 'cluster_not_found',
      });
    }
    const ref = projectId === null ? undefined : { clusterId, projectId };
    await client.mergePatch(`${NAMESPACES_PATH}/${encodeURIComponent(namespace)}`, {
      metadata: {
        labels: { [PROJECT_ID_KEY]: ref ? projectLabelValue(ref) : null },
        annotations: { [PROJECT_ID_KEY]: ref ? projectAnnotationValue(ref) : null },
      },
    });
    // Where the push-down runs, at once; elsewhere its namespace watch sees the move.
    if (!this.#stopped) this.#trigger(clusterId);
  }

  /** A manager client; `background` calls end when the controller stops. */
  async #client(clusterId: string, background = false): Promise<ManagerClient | undefined> {
    const connection = await this.#o.clusters.managerConnection(clusterId);
    const signal = background ? this.#abort?.signal : undefined;
    return (
      connection &&
      new ManagerClient(connection, {
        timeoutMs: this.#o.callTimeoutMs ?? 10_000,
        ...(signal === undefined ? {} : { signal }),
      })
    );
  }

  #trigger(clusterId: string): Worker {
    let worker = this.#workers.get(clusterId);
    if (!worker) {
      worker = { running: undefined, dirty: false, watch: undefined };
      this.#workers.set(clusterId, worker);
      if (!this.#stopped) {
        const w = worker;
        w.watch = new NamespaceWatch(() => this.#client(clusterId, true), {
          onMove: () => this.#trigger(clusterId),
          onError: (err) =>
            this.#o.logger.debug({ err, clusterId }, 'rbac sync: namespace watch broke'),
          retryMs: this.#o.watchRetryMs ?? 1000,
        });
      }
    }
    worker.dirty = true;
    if (!worker.running) {
      const w = worker;
      w.running = (async () => {
        while (w.dirty) {
          w.dirty = false;
          await this.#pass(clusterId);
        }
      })().finally(() => {
        w.running = undefined;
      });
    }
    return worker;
  }

  async #pass(clusterId: string): Promise<void> {
    const at = this.#now();
    const previous = this.#statuses.status(clusterId);
    const fail = (message: string) => {
      this.#statuses.put({
        clusterId,
        lastAttemptAt: at,
        ...(previous?.lastSyncAt ? { lastSyncAt: previous.lastSyncAt } : {}),
        errors: [message],
        changes: 0,
      });
      this.#metrics?.synced(clusterId, 'error', at, 1);
    };
    try {
      const client = await this.#client(clusterId, true);
      if (!client) return fail('the cluster has no manager credentials yet');
      if (!client.connection.gate.allowRequest())
        return fail('the cluster is unavailable (circuit open)');
      const state = await this.#o.access.snapshot();
      const outcome = await reconcileCluster(client, clusterId, state);
      for (const c of outcome.changes) this.#metrics?.changed(clusterId, c.kind, c.action);
      if (outcome.changes.length > 0) {
        this.#o.logger.info(
          {
            clusterId,
            changes: outcome.changes.map(
              (c) => `${c.action} ${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`,
            ),
          },
          'rbac sync: cluster updated',
        );
      }
      const ok = outcome.failures.length === 0;
      const errors = [...outcome.failures, ...outcome.problems];
      this.#statuses.put({
        clusterId,
        lastAttemptAt: at,
        ...(ok
          ? { lastSyncAt: at }
          : previous?.lastSyncAt
            ? { lastSyncAt: previous.lastSyncAt }
            : {}),
        errors,
        changes: outcome.changes.length,
      });
      this.#metrics?.synced(clusterId, ok ? 'ok' : 'error', at, errors.length);
      if (!ok)
        this.#o.logger.warn({ clusterId, failures: outcome.failures }, 'rbac sync: writes failed');
    } catch (err) {
      // Cut short by a stop: that says nothing about the cluster.
      if (this.#stopped) return;
      fail(err instanceof Error ? err.message : String(err));
      this.#o.logger.warn({ err, clusterId }, 'rbac sync: pass failed');
    }
  }
}
