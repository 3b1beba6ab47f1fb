/**
 * The `ClusterInformers` port over the registry's manager connections: one `KindInformer` per
 * cluster and kind, opened by its first subscriber and closed after its last one leaves. Full
 * lists wait for one of `listConcurrency` slots, so that a replica starting with a thousand
 * clusters neither floods them nor itself.
 */
import type {
  ClusterInformers,
  InformedKind,
  InformerHandler,
  InformerStatus,
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
  /** Full lists running at once across every cluster and kind; default 32. */
  readonly listConcurrency?: number;
  /** Objects per list request; default 500. */
  readonly listChunk?: number;
  readonly now?: () => number;
}

export class SharedInformers implements ClusterInformers {
  readonly #o: SharedInformersOptions;
  readonly #informers = new Map<string, KindInformer>();
  #listing = 0;
  readonly #waiting: (() => void)[] = [];

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
        listSlot: (list) => this.#listSlot(list),
        ...(this.#o.retryMs === undefined ? {} : { retryMs: this.#o.retryMs }),
        ...(this.#o.maxRetryMs === undefined ? {} : { maxRetryMs: this.#o.maxRetryMs }),
        ...(this.#o.listChunk === undefined ? {} : { listChunk: this.#o.listChunk }),
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

  status(clusterId: string, kind: InformedKind): InformerStatus | undefined {
    return this.#informers.get(`${clusterId}/${kind}`)?.status();
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

  async #listSlot<T>(list: () => Promise<T>): Promise<T> {
    const limit = this.#o.listConcurrency ?? 32;
    while (this.#listing >= limit) await new Promise<void>((r) => this.#waiting.push(r));
    this.#listing++;
    try {
      return await list();
    } finally {
      this.#listing--;
      this.#waiting.shift()?.();
    }
  }
}
