/**
 * One list+watch of one kind in one cluster with the manager token, keeping a cache keyed by
 * namespace/name. A broken watch resumes from the last resourceVersion it saw; a `410 Gone`
 * (the version is too old) re-lists and reports the difference as events, so subscribers never
 * miss a change or see one twice.
 */
import type {
  InformedKind,
  InformerEvent,
  InformerEventType,
  InformerHandler,
} from '../../domain/cluster-informers.js';
import { isKubeApiError, type KubeObject } from '../../domain/kube-api.js';
import type { Logger } from '../../domain/logger.js';
import type { ManagerConnection } from '../cluster-registry.js';
import { upstreamPath } from '../cluster-request.js';
import { watchEvents } from '../kube-api/watch-stream.js';
import { ManagerClient } from '../rbac-sync/manager-client.js';
import { INFORMED_PATHS } from './kind-paths.js';

export interface KindInformerOptions {
  readonly clusterId: string;
  readonly kind: InformedKind;
  readonly connect: () => Promise<ManagerConnection | undefined>;
  readonly logger: Logger;
  /** First pause after a failure; doubles up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly listTimeoutMs?: number;
  /** After a break, how long a resumed watch must run without 410 to count as synced. */
  readonly resumeGraceMs?: number;
  readonly now?: () => number;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export class KindInformer {
  readonly #o: KindInformerOptions;
  readonly #now: () => number;
  readonly #cache = new Map<string, KubeObject>();
  readonly #handlers = new Set<InformerHandler>();
  readonly #abort = new AbortController();
  #resourceVersion = '';
  #synced = false;
  readonly done: Promise<void>;

  constructor(options: KindInformerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.done = this.#loop();
  }

  get synced(): boolean {
    return this.#synced;
  }

  get size(): number {
    return this.#handlers.size;
  }

  list(): KubeObject[] {
    return [...this.#cache.values()];
  }

  add(handler: InformerHandler): void {
    this.#handlers.add(handler);
    if (!this.#synced) return;
    for (const object of this.#cache.values()) this.#deliver(handler, 'ADDED', object);
    this.#deliver(handler, 'SYNCED');
  }

  remove(handler: InformerHandler): void {
    this.#handlers.delete(handler);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.done;
  }

  async #loop(): Promise<void> {
    let pause = this.#o.retryMs ?? 500;
    while (!this.#abort.signal.aborted) {
      try {
        const connection = await this.#o.connect();
        if (connection?.gate.allowRequest()) {
          if (this.#resourceVersion === '') await this.#relist(connection);
          pause = this.#o.retryMs ?? 500;
          await this.#watch(connection);
        }
      } catch (err) {
        if (this.#abort.signal.aborted) break;
        if (isKubeApiError(err) && err.kubeCode === 'GONE') {
          // Too old to resume: list again at once.
          this.#resourceVersion = '';
          continue;
        }
        this.#o.logger.debug(
          { err, clusterId: this.#o.clusterId, kind: this.#o.kind },
          'informer: list or watch failed',
        );
        if (this.#synced) {
          this.#synced = false;
          this.#emit('STALE');
        }
      }
      if (this.#abort.signal.aborted) break;
      await this.#sleep(pause);
      pause = Math.min(pause * 2, this.#o.maxRetryMs ?? 15_000);
    }
  }

  async #relist(connection: ManagerConnection): Promise<void> {
    const client = new ManagerClient(connection, { timeoutMs: this.#o.listTimeoutMs ?? 30_000 });
    const list = await client.list<KubeObject>(INFORMED_PATHS[this.#o.kind]);
    const fresh = new Map(list.items.map((o) => [keyOf(o), o]));
    for (const [key, old] of this.#cache) {
      if (!fresh.has(key)) {
        this.#cache.delete(key);
        this.#emit('DELETED', old);
      }
    }
    for (const [key, object] of fresh) {
      const old = this.#cache.get(key);
      this.#cache.set(key, object);
      if (old === undefined) this.#emit('ADDED', object);
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion)
        this.#emit('MODIFIED', object);
    }
    this.#resourceVersion = list.metadata.resourceVersion ?? '';
    this.#synced = true;
    this.#emit('SYNCED');
  }

  async #watch(connection: ManagerConnection): Promise<void> {
    const query =
      `?watch=true&allowWatchBookmarks=true` +
      `&resourceVersion=${encodeURIComponent(this.#resourceVersion)}`;
    const answer = await connection.dispatcher.request({
      origin: connection.endpoint.origin,
      path: upstreamPath(connection.endpoint, `${INFORMED_PATHS[this.#o.kind]}${query}`),
      method: 'GET',
      headers: { authorization: `Bearer ${connection.managerToken}`, accept: 'application/json' },
      signal: this.#abort.signal,
      headersTimeout: 10_000,
      bodyTimeout: 0,
    });
    if (answer.statusCode === 410) {
      await answer.body.text();
      this.#resourceVersion = '';
      return;
    }
    if (answer.statusCode !== 200) {
      const text = await answer.body.text();
      throw new Error(`watch ${this.#o.kind}: ${answer.statusCode} ${text.slice(0, 200)}`);
    }
    // Resumed after a break: synced once the server has shown it can resume (an event, or a
    // moment without the 410 that an expired version gets at once).
    const resumed = () => {
      clearTimeout(grace);
      if (this.#synced || this.#abort.signal.aborted) return;
      this.#synced = true;
      this.#emit('SYNCED');
    };
    const grace = setTimeout(resumed, this.#o.resumeGraceMs ?? 1_000);
    try {
      for await (const event of watchEvents(this.#o.clusterId, answer.body, this.#abort.signal)) {
        resumed();
        this.#apply(event.type, event.object);
      }
    } finally {
      clearTimeout(grace);
    }
  }

  #apply(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', object: KubeObject): void {
    if (object.metadata.resourceVersion) this.#resourceVersion = object.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const key = keyOf(object);
    if (type === 'DELETED') this.#cache.delete(key);
    else this.#cache.set(key, object);
    this.#emit(type, object);
  }

  #emit(type: InformerEventType, object?: KubeObject): void {
    for (const handler of [...this.#handlers]) this.#deliver(handler, type, object);
  }

  #deliver(handler: InformerHandler, type: InformerEventType, object?: KubeObject): void {
    const event: InformerEvent = {
      type,
      clusterId: this.#o.clusterId,
      kind: this.#o.kind,
      at: this.#now(),
      ...(object === undefined ? {} : { object }),
    };
    try {
      handler(event);
    } catch (err) {
      this.#o.logger.warn({ err, kind: this.#o.kind }, 'informer: a subscriber failed');
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#abort.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
