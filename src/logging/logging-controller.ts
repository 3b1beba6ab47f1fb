/**
 * Keeps the log collector of every cluster equal to its logging targets, through the
 * push-down's `ObjectSetSync` (labelled, drift-repaired, removed when no target remains). A
 * cluster is pushed when one of its targets changes, when the cluster appears, and on a
 * periodic resync that repairs hand edits. Passes of one cluster never overlap.
 */
import { type ClusterSummary, isAnswering } from '../domain/cluster.js';
import type { Logger } from '../domain/logger.js';
import type { LoggingPushStatus, LoggingPushStatusReader } from '../domain/logging.js';
import type { ObjectSetSpec, ObjectSetSync } from '../domain/object-set.js';
import type { SecretBox } from '../domain/secret-box.js';
import { memoryStatusBoard, type StatusBoard } from '../domain/status-board.js';
import type { Collection, Store } from '../domain/store.js';
import { COLLECTOR_NAMESPACE, collectorObjects } from './collector-manifest.js';
import {
  type LoggingTargetRecord,
  loggingSecretPlace,
  loggingTargetsCollection,
} from './logging-records.js';

export const LOGGING_OBJECT_SET: ObjectSetSpec = {
  name: 'logging',
  namespace: COLLECTOR_NAMESPACE,
  kinds: [
    'ServiceAccount',
    'ClusterRole',
    'ClusterRoleBinding',
    'ConfigMap',
    'Secret',
    'DaemonSet',
  ],
};

export interface LoggingControllerOptions {
  readonly store: Store;
  readonly objects: ObjectSetSync;
  readonly clusters: {
    list(): Promise<ClusterSummary[]>;
    onChange?(listener: (clusterId: string, removed: boolean) => void): () => void;
  };
  readonly secretBox: SecretBox;
  readonly logger: Logger;
  /** Time between full passes (drift repair); default 60 s. */
  readonly resyncMs?: number;
  readonly image?: string;
  readonly now?: () => number;
  /**
   * Where each push's outcome goes. Serve shares it through the store, so `loggingStatus`
   * answers on every replica, not only the one holding the controller's lease.
   */
  readonly statuses?: StatusBoard<LoggingPushStatus>;
}

interface Worker {
  running: Promise<void> | undefined;
  dirty: boolean;
}

export class LoggingController implements LoggingPushStatusReader {
  readonly name = 'logging';
  readonly #o: LoggingControllerOptions;
  readonly #targets: Collection<LoggingTargetRecord>;
  readonly #workers = new Map<string, Worker>();
  readonly #statuses: StatusBoard<LoggingPushStatus>;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: (() => void)[] = [];
  #running = false;

  constructor(options: LoggingControllerOptions) {
    this.#o = options;
    this.#targets = options.store.collection(loggingTargetsCollection);
    this.#now = options.now ?? Date.now;
    this.#statuses = options.statuses ?? memoryStatusBoard();
  }

  status(clusterId: string): LoggingPushStatus | undefined {
    return this.#statuses.status(clusterId);
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#unwatch.push(
      this.#targets.watch((event) => {
        const clusterId = event.value?.scope.clusterId;
        if (clusterId !== undefined) this.trigger(clusterId);
        else void this.resyncAll();
      }),
    );
    const off = this.#o.clusters.onChange?.((clusterId, removed) => {
      if (!removed) this.trigger(clusterId);
    });
    if (off) this.#unwatch.push(off);
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.resyncAll().finally(() => {
          if (this.#running) loop();
        });
      }, this.#o.resyncMs ?? 60_000);
    };
    loop();
    void this.resyncAll();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    for (const off of this.#unwatch.splice(0)) off();
    await Promise.all([...this.#workers.values()].map((w) => w.running));
  }

  /** One pass over every registered cluster (clusters without targets lose the collector). */
  async resyncAll(): Promise<void> {
    let clusters: ClusterSummary[];
    try {
      clusters = await this.#o.clusters.list();
    } catch (err) {
      this.#o.logger.warn({ err }, 'logging: cannot list clusters');
      return;
    }
    await Promise.all(
      // A slow (degraded) cluster still answers, so it still gets its collector.
      clusters.filter((c) => isAnswering(c.health.state)).map((c) => this.trigger(c.id)),
    );
  }

  /** Pushes one cluster now (coalesced with a pass already running). */
  trigger(clusterId: string): Promise<void> {
    if (!this.#running) return Promise.resolve();
    let worker = this.#workers.get(clusterId);
    if (worker === undefined) {
      worker = { running: undefined, dirty: false };
      this.#workers.set(clusterId, worker);
    }
    const w = worker;
    w.dirty = true;
    w.running ??= (async () => {
      while (w.dirty && this.#running) {
        w.dirty = false;
        await this.#push(clusterId);
      }
    })().finally(() => {
      w.running = undefined;
    });
    return w.running;
  }

  async #push(clusterId: string): Promise<void> {
    const at = this.#now();
    try {
      const targets = (await this.#targets.list({ index: 'cluster', value: clusterId })).map(
        (r) => r.value,
      );
      const before = this.#statuses.status(clusterId);
      if (
        !targets.some((t) => t.enabled) &&
        before !== undefined &&
        !before.deployed &&
        before.errors.length === 0
      ) {
        // Already confirmed empty: a cluster without targets costs no calls on every resync.
        return;
      }
      const objects = collectorObjects(clusterId, targets, {
        ...(this.#o.image === undefined ? {} : { image: this.#o.image }),
        openSecret: (t, field) =>
          this.#o.secretBox.open(t.sealedSecrets[field] ?? '', loggingSecretPlace(t.id, field)),
      });
      const outcome = await this.#o.objects.apply(clusterId, LOGGING_OBJECT_SET, objects);
      this.#statuses.put({
        clusterId,
        at,
        deployed: objects.length > 0,
        changes: outcome.changes.length,
        errors: outcome.failures,
      });
      if (outcome.changes.length > 0) {
        this.#o.logger.info(
          { clusterId, changes: outcome.changes.map((c) => `${c.action} ${c.kind} ${c.name}`) },
          'logging: collector updated',
        );
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#statuses.put({
        clusterId,
        at,
        deployed: false,
        changes: 0,
        errors: [message],
      });
      this.#o.logger.warn({ err, clusterId }, 'logging: push failed');
    }
  }
}
