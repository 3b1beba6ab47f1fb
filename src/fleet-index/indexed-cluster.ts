/**
 * One cluster as the fleet index follows it: its RBAC objects and evaluator, and the
 * subscriptions that feed the kind tables. What a caller may list here is decided from this
 * cluster's RBAC only while its four RBAC caches have synced and are not long stale.
 */
import type { ClusterInformers, InformedKind } from '../domain/cluster-informers.js';
import type { KubeObject } from '../domain/kube-api.js';
import {
  type AccessScope,
  ClusterRbac,
  type KubeUser,
  RBAC_KINDS,
  RbacEvaluator,
  type RbacKind,
} from './authorization/index.js';
import type { IndexedKind } from './indexed-kinds.js';

export type TableEvent = (
  kind: IndexedKind,
  clusterId: string,
  type: 'ADDED' | 'MODIFIED' | 'DELETED',
  object: KubeObject,
  at: number,
) => void;

export class IndexedCluster {
  readonly clusterId: string;
  readonly rbac = new ClusterRbac();
  readonly evaluator = new RbacEvaluator(this.rbac);
  readonly #informers: ClusterInformers;
  readonly #subscriptions = new Map<string, () => void>();
  /** Changes when a namespace is added or removed (namespace visibility depends on it). */
  #namespacesVersion = 0;
  #namespaceNames = new Set<string>();
  #visibleNamespaces = new Map<string, { key: string; scope: AccessScope }>();

  constructor(clusterId: string, informers: ClusterInformers) {
    this.clusterId = clusterId;
    this.#informers = informers;
    for (const kind of RBAC_KINDS) {
      this.#subscriptions.set(
        kind,
        informers.subscribe(clusterId, kind, (e) => {
          if (
            e.object !== undefined &&
            (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED')
          ) {
            this.rbac.apply(kind as RbacKind, e.type, e.object);
          }
        }),
      );
    }
  }

  /** Follows one table kind (idempotent). */
  follow(kind: IndexedKind, onEvent: TableEvent): void {
    if (this.#subscriptions.has(kind.informer)) return;
    this.#subscriptions.set(
      kind.informer,
      this.#informers.subscribe(this.clusterId, kind.informer, (e) => {
        if (e.object === undefined) return;
        if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') return;
        if (kind.informer === 'namespaces') this.#noteNamespace(e.type, e.object);
        onEvent(kind, this.clusterId, e.type, e.object, e.at);
      }),
    );
  }

  /** Stops following one kind. */
  unfollow(informer: InformedKind): void {
    this.#subscriptions.get(informer)?.();
    this.#subscriptions.delete(informer);
  }

  followed(): string[] {
    return [...this.#subscriptions.keys()];
  }

  /** Whether authorization can be decided here: every RBAC cache synced (or briefly stale). */
  rbacReady(now: number, maxStaleMs: number): boolean {
    for (const kind of RBAC_KINDS) {
      const s = this.#informers.status?.(this.clusterId, kind);
      if (s === undefined || s.syncedAt === undefined) return false;
      if (!s.synced && now - (s.staleSince ?? now) > maxStaleMs) return false;
    }
    return true;
  }

  /**
   * Where `verb` on a kind is allowed. Namespaces themselves are cluster-scoped: a caller who
   * may not list them sees each one it may `get` by name (`kubectl get ns <name>` works).
   */
  scope(user: KubeUser, verb: string, kind: IndexedKind): AccessScope {
    const scope = this.evaluator.scope(user, verb, kind.group, kind.resource);
    if (kind.informer !== 'namespaces' || scope.all) return scope;
    const key = `${user.name}\0${[...user.groups].sort().join('\0')}\0${verb}`;
    const version = `${this.rbac.generation}/${this.#namespacesVersion}`;
    const memo = this.#visibleNamespaces.get(key);
    if (memo?.key === version) return memo.scope;
    const namespaces = new Set<string>();
    for (const name of this.#namespaceNames) {
      const get = { verb: 'get', apiGroup: '', resource: 'namespaces', name, namespace: name };
      if (this.evaluator.authorize(user, get).allowed) namespaces.add(name);
    }
    const computed: AccessScope = { all: false, namespaces };
    if (this.#visibleNamespaces.size > 5_000) this.#visibleNamespaces = new Map();
    this.#visibleNamespaces.set(key, { key: version, scope: computed });
    return computed;
  }

  stop(): void {
    for (const stop of this.#subscriptions.values()) stop();
    this.#subscriptions.clear();
  }

  #noteNamespace(type: string, object: KubeObject): void {
    const name = object.metadata.name ?? '';
    const had = this.#namespaceNames.has(name);
    if (type === 'DELETED') this.#namespaceNames.delete(name);
    else this.#namespaceNames.add(name);
    if (had !== this.#namespaceNames.has(name)) this.#namespacesVersion++;
  }
}
