/**
 * One downstream list-and-watch shared by every subscription of the same caller identity to
 * the same cluster, kind, namespace and label selector, like an informer: it keeps the current
 * objects, so a subscriber that joins late gets them as its initial state and every later
 * event exactly once. The downstream decides what the identity sees; sharing happens only
 * between subscriptions whose impersonation headers would be identical.
 */
import type { KubeClient, KubeObject, KubeResource } from '../../domain/kube-api.js';
import { isKubeApiError } from '../../domain/kube-api.js';

export type SharedChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface SharedWatchTarget {
  readonly kube: KubeClient;
  readonly clusterId: string;
  readonly resource: KubeResource;
  readonly namespace?: string;
  readonly labelSelector?: string;
}

export interface SharedWatchListener {
  event(type: SharedChangeType, object: KubeObject): void;
  /** The downstream watch failed for good (e.g. the identity lost access); the stream ends. */
  failed(err: unknown): void;
}

const objectKey = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export class SharedWatch {
  readonly #target: SharedWatchTarget;
  readonly #objects = new Map<string, KubeObject>();
  readonly #listeners = new Set<SharedWatchListener>();
  readonly #abort = new AbortController();
  readonly #onIdle: () => void;
  #version = '';
  /** Settles once the first list is in: rejects when the identity may not list the kind. */
  readonly ready: Promise<void>;

  constructor(target: SharedWatchTarget, onIdle: () => void) {
    this.#target = target;
    this.#onIdle = onIdle;
    this.ready = this.#relist();
    this.ready.then(
      () => void this.#run(),
      () => this.#stop(),
    );
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  /** True once the last subscriber left or the watch failed; join a fresh one then. */
  get stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  /** The current objects, and from now on every change; call after `ready`. */
  join(listener: SharedWatchListener): { snapshot: KubeObject[]; leave: () => void } {
    this.#listeners.add(listener);
    return {
      snapshot: [...this.#objects.values()],
      leave: () => {
        this.#listeners.delete(listener);
        if (this.#listeners.size === 0) this.#stop();
      },
    };
  }

  #stop(): void {
    this.#abort.abort();
    this.#onIdle();
  }

  /** Lists everything, reports what changed since the last list, and keeps its version. */
  async #relist(): Promise<void> {
    const t = this.#target;
    const list = await t.kube.list(t.clusterId, t.resource, {
      ...(t.namespace ? { namespace: t.namespace } : {}),
      ...(t.labelSelector ? { labelSelector: t.labelSelector } : {}),
      signal: this.#abort.signal,
    });
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = objectKey(obj);
      seen.add(key);
      const before = this.#objects.get(key);
      if (before?.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        this.#apply(before === undefined ? 'ADDED' : 'MODIFIED', obj);
      }
    }
    for (const [key, obj] of this.#objects) if (!seen.has(key)) this.#apply('DELETED', obj);
    this.#version = list.resourceVersion;
  }

  async #run(): Promise<void> {
    const t = this.#target;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        for await (const event of t.kube.watch(t.clusterId, t.resource, {
          ...(t.namespace ? { namespace: t.namespace } : {}),
          ...(t.labelSelector ? { labelSelector: t.labelSelector } : {}),
          resourceVersion: this.#version,
          signal,
        })) {
          this.#version = event.object.metadata.resourceVersion ?? this.#version;
          if (event.type !== 'BOOKMARK') this.#apply(event.type, event.object);
        }
      } catch (err) {
        if (signal.aborted) return;
        // Too old to resume: relist and report the difference, as an informer does.
        const gone = isKubeApiError(err) && err.kubeCode === 'GONE';
        const failure = gone
          ? await this.#relist().then(
              () => undefined,
              (e: unknown) => e,
            )
          : err;
        if (failure === undefined) continue;
        for (const listener of [...this.#listeners]) listener.failed(failure);
        this.#listeners.clear();
        this.#stop();
        return;
      }
    }
  }

  #apply(type: SharedChangeType, object: KubeObject): void {
    const key = objectKey(object);
    if (type === 'DELETED') this.#objects.delete(key);
    else this.#objects.set(key, object);
    for (const listener of this.#listeners) listener.event(type, object);
  }
}

/** The shared watches of one GraphQL endpoint, by caller identity and target. */
export class SharedWatchHub {
  readonly #watches = new Map<string, SharedWatch>();

  /** The running watch for `key`, or a new one started with `target`. */
  watch(key: string, target: SharedWatchTarget): SharedWatch {
    const running = this.#watches.get(key);
    if (running !== undefined) return running;
    const created: SharedWatch = new SharedWatch(target, () => {
      if (this.#watches.get(key) === created) this.#watches.delete(key);
    });
    this.#watches.set(key, created);
    return created;
  }

  get size(): number {
    return this.#watches.size;
  }
}
