/**
 * The `ClusterInformers` port over the registry's manager connections: one `KindInformer` per
 * cluster and kind, opened by its first subscriber and closed after its last one leaves.
 */
import type {
  ClusterInformers,
  InformedKind,
  InformerHandler,
} from '../../domain/cluster-informers.js';
import type { KubeObject } from '../../domain/kube-api.js';
import type { Logger } from '../../domain/logger.js';
import type { ManagerConnection } from '../cluster-registry.js';
import { KindInformer } from './kind-informer.js';

export interface ManagerConnections {
  managerConnection(clusterId: string): Promise<ManagerConnection | undefined>;
}

export interface SharedInformersOptions {
  readonly clusters: ManagerConnections;
  readonly logger: Logger;
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly now?: () => number;
}

export class SharedInformers implements ClusterInformers {
  readonly #o: SharedInformersOptions;
  readonly #informers = new Map<string, KindInformer>();

  constructor(options: SharedInformersOptions) {
    this.#o = options;
  }

  subscribe(clusterId: string, kind: InformedKind, handler: InformerHandler): () => void {
    const key = `${clusterId}/${kind}`;
    let informer = this.#informers.get(key);
    if (informer === undefined) {
      informer = new KindInformer({
        clusterId,
        kind,
        connect: () => this.#o.clusters.managerConnection(clusterId),
        logger: this.#o.logger,
        ...(this.#o.retryMs === undefined ? {} : { retryMs: this.#o.retryMs }),
        ...(this.#o.maxRetryMs === undefined ? {} : { maxRetryMs: this.#o.maxRetryMs }),
        ...(this.#o.now === undefined ? {} : { now: this.#o.now }),
      });
      this.#informers.set(key, informer);
    }
    const used = informer;
    used.add(handler);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      used.remove(handler);
      if (used.size === 0 && this.#informers.get(key) === used) {
        this.#informers.delete(key);
        void used.stop();
      }
    };
  }

  list(clusterId: string, kind: InformedKind): readonly KubeObject[] {
    return this.#informers.get(`${clusterId}/${kind}`)?.list() ?? [];
  }

  synced(clusterId: string, kind: InformedKind): boolean {
    return this.#informers.get(`${clusterId}/${kind}`)?.synced ?? false;
  }

  /** Open watches (for tests and metrics). */
  get openCount(): number {
    return this.#informers.size;
  }

  async stop(): Promise<void> {
    const all = [...this.#informers.values()];
    this.#informers.clear();
    await Promise.all(all.map((i) => i.stop()));
  }
}
