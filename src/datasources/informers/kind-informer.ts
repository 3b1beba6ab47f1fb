/**
 * One list+watch of one kind in one cluster with the manager token, keeping a cache keyed by
 * namespace/name. A broken watch resumes from the last resourceVersion it saw (bookmarks move
 * it on while nothing changes); a `410 Gone` (the version is too old) re-lists and reports
 * the difference as events, so subscribers never miss a change or see one twice. Objects are
 * kept lean (`lean-object.ts`) and lists are read in chunks, so a large cluster never needs
 * its whole list in memory twice.
 */
import type {
  InformedKind,
  InformerEvent,
  InformerEventType,
  InformerHandler,
  InformerStatus,
} from '../../domain/cluster-informers.js';
import { isKubeApiError, type KubeObject } from '../../domain/kube-api.js';
import type { Logger } from '../../domain/logger.js';
import { PaddockError } from '../../errors/index.js';
import type { ManagerConnection } from '../cluster-registry.js';
import { upstreamPath } from '../cluster-request.js';
import { watchEvents } from '../kube-api/watch-stream.js';
import { ManagerClient } from '../rbac-sync/manager-client.js';
import { informedPath } from './kind-paths.js';
import { leanObject } from './lean-object.js';
import { openStream } from './upstream-stream.js';

export interface KindInformerOptions {
  readonly clusterId: string;
  readonly kind: InformedKind;
  readonly connect: () => Promise<ManagerConnection | undefined>;
  readonly logger: Logger;
  /** First pause after a failure; doubles up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly listTimeoutMs?: number;
  /** Objects per list request (`limit`); default 500. */
  readonly listChunk?: number;
  /** After a break, how long a resumed watch must run without 410 to count as synced. */
  readonly resumeGraceMs?: number;
  /** Runs each full list, so that many informers starting at once list a few at a time. */
  readonly listSlot?: <T>(list: () => Promise<T>) => Promise<T>;
  readonly now?: () => number;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

interface ListChunk {
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: readonly KubeObject[];
}

export class KindInformer {
  readonly #o: KindInformerOptions;
  readonly #now: () => number;
  readonly #cache = new Map<string, KubeObject>();
  readonly #handlers = new Set<InformerHandler>();
  readonly #abort = new AbortController();
  #resourceVersion = '';
  #synced = false;
  #syncedAt: number | undefined;
  #staleSince: number | undefined;
  #lastSeenAt: number | undefined;
  #error: string | undefined;
  readonly done: Promise<void>;

  constructor(options: KindInformerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#staleSince = this.#now();
    this.done = this.#loop();
  }

  get synced(): boolean {
    return this.#synced;
  }

  get size(): number {
    return this.#handlers.size;
  }

  status(): InformerStatus {
    return {
      synced: this.#synced,
      objects: this.#cache.size,
      ...(this.#syncedAt === undefined ? {} : { syncedAt: this.#syncedAt }),
      ...(this.#synced || this.#staleSince === undefined ? {} : { staleSince: this.#staleSince }),
      ...(this.#lastSeenAt === undefined ? {} : { lastSeenAt: this.#lastSeenAt }),
      ...(this.#synced || this.#error === undefined ? {} : { error: this.#error }),
    };
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
        if (connection === undefined) this.#error = 'the cluster is not imported';
        else if (!connection.gate.allowRequest()) this.#error = 'the cluster is unavailable';
        else {
          if (this.#resourceVersion === '') {
            const slot = this.#o.listSlot ?? ((list) => list());
            await slot(() => this.#relist(connection));
          }
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
        this.#error = err instanceof Error ? err.message : String(err);
        this.#o.logger.debug(
          { err, clusterId: this.#o.clusterId, kind: this.#o.kind },
          'informer: list or watch failed',
        );
      }
      this.#markStale();
      if (this.#abort.signal.aborted) break;
      await this.#sleep(pause);
      pause = Math.min(pause * 2, this.#o.maxRetryMs ?? 15_000);
    }
  }

  #markStale(): void {
    if (!this.#synced) return;
    this.#synced = false;
    this.#staleSince = this.#now();
    this.#emit('STALE');
  }

  #markSynced(): void {
    this.#synced = true;
    this.#syncedAt = this.#now();
    this.#lastSeenAt = this.#syncedAt;
    this.#staleSince = undefined;
    this.#error = undefined;
    this.#emit('SYNCED');
  }

  /** Reads the whole collection in chunks; a continue token that expired starts over. */
  async #readAll(connection: ManagerConnection): Promise<{ items: KubeObject[]; rv: string }> {
    const client = new ManagerClient(connection, { timeoutMs: this.#o.listTimeoutMs ?? 30_000 });
    const path = informedPath(this.#o.kind);
    const limit = this.#o.listChunk ?? 500;
    for (let attempt = 0; ; attempt++) {
      const items: KubeObject[] = [];
      let token: string | undefined;
      let rv = '';
      try {
        do {
          const query = `?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
          const chunk = await client.get<ListChunk>(`${path}${query}`);
          for (const item of chunk.items ?? []) items.push(leanObject(this.#o.kind, item));
          rv = chunk.metadata?.resourceVersion ?? rv;
          token = chunk.metadata?.continue || undefined;
          if (this.#abort.signal.aborted) throw new Error('stopped');
        } while (token !== undefined);
        return { items, rv };
      } catch (err) {
        const expired =
          err instanceof PaddockError &&
          (err.details as { status?: number } | undefined)?.status === 410;
        if (!expired || attempt >= 2) throw err;
      }
    }
  }

  async #relist(connection: ManagerConnection): Promise<void> {
    const list = await this.#readAll(connection);
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
    this.#resourceVersion = list.rv;
    this.#markSynced();
  }

  async #open(connection: ManagerConnection, path: string) {
    const headers = {
      authorization: `Bearer ${connection.managerToken}`,
      accept: 'application/json',
    };
    if (connection.upstream !== undefined) {
      return openStream(
        connection.upstream,
        { path, headers: { ...headers, host: connection.endpoint.host } },
        this.#abort.signal,
        10_000,
      );
    }
    const answer = await connection.dispatcher.request({
      origin: connection.endpoint.origin,
      path,
      method: 'GET',
      headers,
      signal: this.#abort.signal,
      headersTimeout: 10_000,
      bodyTimeout: 0,
    });
    return { status: answer.statusCode, body: answer.body };
  }

  async #watch(connection: ManagerConnection): Promise<void> {
    const query =
      `?watch=true&allowWatchBookmarks=true` +
      `&resourceVersion=${encodeURIComponent(this.#resourceVersion)}`;
    const path = upstreamPath(connection.endpoint, `${informedPath(this.#o.kind)}${query}`);
    const answer = await this.#open(connection, path);
    if (answer.status === 410) {
      await answer.body.text();
      this.#resourceVersion = '';
      return;
    }
    if (answer.status !== 200) {
      const text = await answer.body.text();
      throw new Error(`watch ${this.#o.kind}: ${answer.status} ${text.slice(0, 200)}`);
    }
    // Resumed after a break: synced once the server has shown it can resume (an event, or a
    // moment without the 410 that an expired version gets at once).
    const resumed = () => {
      clearTimeout(grace);
      if (this.#synced || this.#abort.signal.aborted) return;
      this.#markSynced();
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

  #apply(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', raw: KubeObject): void {
    this.#lastSeenAt = this.#now();
    if (raw.metadata.resourceVersion) this.#resourceVersion = raw.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const object = leanObject(this.#o.kind, raw);
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
      const signal = this.#abort.signal;
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
