// In-memory storage for one cluster, modelled on etcd behind the apiserver: one revision counter
// for the whole cluster, keys sorted like /registry/<resource>/<namespace>/<name>, and a bounded
// history of events (older revisions are "compacted" and answer 410 Gone).
// Objects are kept as JSON strings without kind/apiVersion: compact, and a list response can be
// assembled by concatenation.

import type { KubeObject } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredObject {
  key: string;
  namespace: string;
  name: string;
  rv: number;
  json: string;
  labels: Record<string, string> | undefined;
}

export interface StoreEvent {
  type: EventType;
  typeKey: string;
  rv: number;
  item: StoredObject;
  /** the object before a MODIFIED write (watches with selectors need both states) */
  prev?: StoredObject;
}

export type StoreListener = (event: StoreEvent) => void;

export interface ObjectStoreOptions {
  /** how many events are kept for watches that resume from a resourceVersion */
  historySize?: number;
  /** first resourceVersion handed out */
  initialRv?: number;
}

export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ObjectStore {
  private rv: number;
  private compacted: number;
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly historySize: number;
  private readonly listeners = new Set<StoreListener>();

  constructor(options: ObjectStoreOptions = {}) {
    this.rv = options.initialRv ?? 1000;
    this.compacted = this.rv;
    this.historySize = options.historySize ?? 256;
  }

  get currentRv(): number {
    return this.rv;
  }

  /** Oldest revision a watch can resume from. */
  get compactedRv(): number {
    return this.compacted;
  }

  nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  getStored(typeKey: string, namespace: string, name: string): StoredObject | undefined {
    return this.buckets.get(typeKey)?.get(objectKey(namespace, name));
  }

  get(typeKey: string, namespace: string, name: string): KubeObject | undefined {
    const s = this.getStored(typeKey, namespace, name);
    return s ? (JSON.parse(s.json) as KubeObject) : undefined;
  }

  /** Items of a type, optionally in one namespace, sorted by key like etcd. */
  list(typeKey: string, namespace?: string): StoredObject[] {
    const bucket = this.buckets.get(typeKey);
    if (!bucket) return [];
    const out: StoredObject[] = [];
    for (const s of bucket.values()) {
      if (namespace && s.namespace !== namespace) continue;
      out.push(s);
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  count(typeKey: string): number {
    return this.buckets.get(typeKey)?.size ?? 0;
  }

  typeKeys(): string[] {
    return [...this.buckets.keys()];
  }

  /**
   * Writes an object (metadata.resourceVersion is set here) and emits an event.
   * The caller decides ADDED vs MODIFIED; kind/apiVersion are stripped.
   */
  put(typeKey: string, obj: KubeObject, type: EventType): KubeObject {
    const rv = this.nextRv();
    obj.metadata.resourceVersion = String(rv);
    const item = this.toStored(obj, rv);
    let bucket = this.buckets.get(typeKey);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(typeKey, bucket);
    }
    const prev = type === 'MODIFIED' ? bucket.get(item.key) : undefined;
    bucket.set(item.key, item);
    this.emit(prev ? { type, typeKey, rv, item, prev } : { type, typeKey, rv, item });
    return obj;
  }

  remove(typeKey: string, namespace: string, name: string): KubeObject | undefined {
    const bucket = this.buckets.get(typeKey);
    const key = objectKey(namespace, name);
    const prev = bucket?.get(key);
    if (!bucket || !prev) return undefined;
    bucket.delete(key);
    const rv = this.nextRv();
    const obj = JSON.parse(prev.json) as KubeObject;
    // A DELETED event carries the object at the revision of the delete, as etcd reports it.
    obj.metadata.resourceVersion = String(rv);
    this.emit({ type: 'DELETED', typeKey, rv, item: this.toStored(obj, rv) });
    return obj;
  }

  /** Events after `rv` for watches resuming from it, or undefined when compacted away. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compacted) return undefined;
    const out: StoreEvent[] = [];
    for (const e of this.history) if (e.rv > rv) out.push(e);
    return out;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private toStored(obj: KubeObject, rv: number): StoredObject {
    const { kind: _k, apiVersion: _a, ...rest } = obj;
    const namespace = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    return {
      key: objectKey(namespace, name),
      namespace,
      name,
      rv,
      json: JSON.stringify(rest),
      labels: obj.metadata.labels,
    };
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.shift();
      if (dropped) this.compacted = dropped.rv;
    }
    for (const l of [...this.listeners]) l(event);
  }
}
