/**
 * The fleet index (`FleetIndex` port): one table per indexed kind across every cluster, fed by
 * the shared informers (one list+watch per cluster and kind with the manager account), and one
 * RBAC evaluator per cluster fed by the cluster's own Roles, ClusterRoles and bindings. Every
 * replica keeps its own (ADR 0020): it is a cache of the clusters, not state of Paddock's, so
 * it is not leased to one replica.
 *
 * For each list it decides, cluster by cluster, whether it may answer: only when the cluster's
 * RBAC caches have synced, the kind has been listed, and the cluster is not named as having
 * authorization beyond RBAC. Every other cluster is read live as the caller.
 */
import type { ClusterSummary } from '../domain/cluster.js';
import type { ClusterInformers } from '../domain/cluster-informers.js';
import {
  type FleetChange,
  type FleetChangeRequest,
  type FleetClusterSource,
  type FleetClusterStatus,
  type FleetFilter,
  type FleetIndex,
  type FleetListAnswer,
  type FleetListRequest,
  type LiveRows,
  SETTING_FLEET_INDEX_CUSTOM_KINDS,
  SETTING_FLEET_INDEX_ENABLED,
  SETTING_FLEET_INDEX_LIVE_CLUSTERS,
} from '../domain/fleet-index.js';
import type { Identity } from '../domain/identity.js';
import type { ClusterFailure, KubeObject, KubeResource } from '../domain/kube-api.js';
import type { Logger } from '../domain/logger.js';
import type { SettingsReader } from '../domain/settings.js';
import { PROJECT_ID_KEY } from '../rbac/project-label.js';
import { type AccessScope, type KubeUser, scopeAllows } from './authorization/index.js';
import { kubeUserOf } from './caller.js';
import { IndexedCluster } from './indexed-cluster.js';
import {
  BUILTIN_INDEXED_KINDS,
  customIndexedKind,
  type IndexedKind,
  kindKey,
  kindKeyOf,
} from './indexed-kinds.js';
import { matchesFilter, type PreparedFilter, prepareFilter } from './query/row-filter.js';
import { runQuery } from './query/run-query.js';
import { KindTable } from './table/kind-table.js';
import { type Row, rowOf } from './table/row.js';

export interface FleetIndexServiceOptions {
  readonly informers: ClusterInformers;
  readonly clusters: {
    list(): Promise<ClusterSummary[]>;
    onChange?(listener: (clusterId: string, removed: boolean) => void): () => void;
  };
  readonly settings?: SettingsReader;
  readonly logger: Logger;
  readonly now?: () => number;
  /** How often the cluster list and the settings are read again; default 5 s. */
  readonly refreshMs?: number;
  /** How long RBAC caches whose watch broke still decide; default 60 s. */
  readonly maxRbacStaleMs?: number;
}

type Decision =
  | { readonly mode: 'index'; readonly cluster: IndexedCluster }
  | { readonly mode: 'live'; readonly reason: string };

type ChangeListener = (
  kind: IndexedKind,
  clusterId: string,
  type: 'ADDED' | 'MODIFIED' | 'DELETED',
  row: Row,
  previous: Row | undefined,
  at: number,
) => void;

export class FleetIndexService implements FleetIndex {
  readonly #o: FleetIndexServiceOptions;
  readonly #now: () => number;
  readonly #clusters = new Map<string, IndexedCluster>();
  readonly #tables = new Map<string, KindTable>();
  readonly #kinds = new Map<string, IndexedKind>();
  readonly #listeners = new Map<string, Set<ChangeListener>>();
  #enabled = true;
  #liveClusters = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;
  #refreshing: Promise<void> | undefined;
  #stopped = false;

  constructor(options: FleetIndexServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    for (const kind of BUILTIN_INDEXED_KINDS) this.#addKind(kind);
  }

  /** Follows every imported cluster now and keeps following the registry. */
  async start(): Promise<void> {
    this.#unwatch = this.#o.clusters.onChange?.(() => void this.refresh());
    await this.refresh();
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.refresh().finally(() => {
          if (!this.#stopped) loop();
        });
      }, this.#o.refreshMs ?? 5_000);
      this.#timer.unref();
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#unwatch?.();
    await this.#refreshing;
    for (const c of this.#clusters.values()) c.stop();
    this.#clusters.clear();
  }

  /** Reads the settings and the cluster list again and follows what changed. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh()
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'fleet index: refresh failed'))
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const setting = async (name: string) => (await this.#o.settings?.get(name))?.value;
    this.#enabled = (await setting(SETTING_FLEET_INDEX_ENABLED)) !== 'false';
    this.#liveClusters = new Set(
      (await setting(SETTING_FLEET_INDEX_LIVE_CLUSTERS))?.split(',').filter((v) => v !== '') ?? [],
    );
    this.#syncCustomKinds(((await setting(SETTING_FLEET_INDEX_CUSTOM_KINDS)) ?? '').split(','));
    const wanted = new Set(
      (await this.#o.clusters.list()).filter((c) => c.health.state !== 'pending').map((c) => c.id),
    );
    if (this.#stopped) return;
    for (const [id, cluster] of this.#clusters) {
      if (wanted.has(id)) continue;
      cluster.stop();
      this.#clusters.delete(id);
      for (const table of this.#tables.values()) table.dropCluster(id);
    }
    for (const id of wanted) {
      let cluster = this.#clusters.get(id);
      if (cluster === undefined) {
        cluster = new IndexedCluster(id, this.#o.informers);
        this.#clusters.set(id, cluster);
      }
      for (const kind of this.#kinds.values()) cluster.follow(kind, this.#onEvent);
    }
  }

  #syncCustomKinds(names: readonly string[]): void {
    const custom = new Map<string, IndexedKind>();
    for (const name of names.map((n) => n.trim()).filter((n) => n !== '')) {
      const kind = customIndexedKind(name, true);
      if (kind !== undefined) custom.set(kindKey(kind.group, kind.resource), kind);
    }
    const builtin = new Set(BUILTIN_INDEXED_KINDS.map((k) => k.informer as string));
    for (const [key, kind] of this.#kinds) {
      if (builtin.has(kind.informer) || custom.get(key)?.informer === kind.informer) continue;
      this.#kinds.delete(key);
      this.#tables.delete(kind.informer);
      for (const c of this.#clusters.values()) c.unfollow(kind.informer);
    }
    for (const [key, kind] of custom) if (!this.#kinds.has(key)) this.#addKind(kind);
  }

  #addKind(kind: IndexedKind): void {
    this.#kinds.set(kindKey(kind.group, kind.resource), kind);
    this.#tables.set(kind.informer, new KindTable(kind.informer));
  }

  readonly #onEvent = (
    kind: IndexedKind,
    clusterId: string,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    object: KubeObject,
    at: number,
  ) => {
    const table = this.#tables.get(kind.informer);
    if (table === undefined) return;
    let row: Row | undefined;
    let previous: Row | undefined;
    if (type === 'DELETED') {
      previous = table.remove(clusterId, object);
      row = previous ?? rowOf(kind.informer, clusterId, object);
    } else ({ row, previous } = table.put(clusterId, object));
    const listeners = this.#listeners.get(kind.informer);
    if (listeners === undefined) return;
    for (const listener of listeners) listener(kind, clusterId, type, row, previous, at);
  };

  serves(resource: KubeResource): boolean {
    return this.#enabled && this.#kinds.has(kindKeyOf(resource));
  }

  #decide(clusterId: string, kind: IndexedKind): Decision {
    if (!this.#enabled) return { mode: 'live', reason: 'the fleet index is turned off' };
    if (this.#liveClusters.has(clusterId) || this.#liveClusters.has('*')) {
      return { mode: 'live', reason: 'the cluster authorizes with more than RBAC' };
    }
    const cluster = this.#clusters.get(clusterId);
    if (cluster === undefined) return { mode: 'live', reason: 'the cluster is not indexed yet' };
    if (!cluster.rbacReady(this.#now(), this.#o.maxRbacStaleMs ?? 60_000)) {
      return { mode: 'live', reason: "the cluster's RBAC objects are not synced" };
    }
    const status = this.#o.informers.status?.(clusterId, kind.informer);
    if (status?.syncedAt === undefined) {
      return { mode: 'live', reason: 'the kind has not been listed yet' };
    }
    return { mode: 'index', cluster };
  }

  async list(
    identity: Identity,
    request: FleetListRequest,
    live: LiveRows,
  ): Promise<FleetListAnswer> {
    const kind = this.#kindOf(request.resource);
    const table = this.#tables.get(kind.informer)!;
    const user = kubeUserOf(identity);
    const access = new Map<string, AccessScope>();
    const liveIds: string[] = [];
    const sources: FleetClusterSource[] = [];
    const forbidden: ClusterFailure[] = [];
    const now = this.#now();
    for (const clusterId of [...new Set(request.clusterIds)].sort()) {
      const decision = this.#decide(clusterId, kind);
      if (decision.mode === 'live') {
        liveIds.push(clusterId);
        sources.push({
          clusterId,
          source: 'LIVE',
          stale: false,
          ageMs: 0,
          reason: decision.reason,
        });
        continue;
      }
      const scope = decision.cluster.scope(user, 'list', kind);
      if (!scope.all && scope.namespaces.size === 0)
        forbidden.push(forbiddenFailure(clusterId, user, kind));
      else access.set(clusterId, scope);
      const s = this.#o.informers.status?.(clusterId, kind.informer);
      sources.push({
        clusterId,
        source: 'INDEX',
        stale: s?.synced !== true,
        ageMs: s?.synced === true ? 0 : now - (s?.staleSince ?? now),
        ...(s?.syncedAt === undefined ? {} : { syncedAt: s.syncedAt }),
      });
    }
    const fetched = liveIds.length > 0 ? await live(liveIds) : { items: [], clusterErrors: [] };
    const liveRows = fetched.items.flatMap(({ clusterId, value }) =>
      value.map((o) => rowOf(kind.informer, clusterId, o)),
    );
    const filter = this.#prepare(kind, request.filter, request.where);
    const page = runQuery({
      table,
      access,
      liveRows,
      filter,
      order: request.order,
      first: request.first,
      ...(request.after === undefined ? {} : { after: request.after }),
    });
    return {
      items: page.rows.map((r) => ({ clusterId: r.clusterId, object: r.object })),
      endCursor: page.endCursor,
      hasNextPage: page.hasNextPage,
      clusterErrors: [...forbidden, ...fetched.clusterErrors].sort((a, b) =>
        a.clusterId < b.clusterId ? -1 : a.clusterId > b.clusterId ? 1 : 0,
      ),
      sources,
      facets: page.facets,
      totalCount: page.totalCount,
    };
  }

  changes(
    identity: Identity,
    request: FleetChangeRequest,
    handler: (change: FleetChange) => void,
  ): { readonly undecided: readonly string[]; stop(): void } {
    const kind = this.#kindOf(request.resource);
    const user = kubeUserOf(identity);
    const targets = new Set(request.clusterIds);
    const filter = this.#prepare(kind, request.filter, undefined);
    const sees = (cluster: IndexedCluster, row: Row | undefined) =>
      row !== undefined &&
      scopeAllows(cluster.scope(user, 'watch', kind), row.namespace) &&
      matchesFilter(filter, row);
    const listener: ChangeListener = (_kind, clusterId, type, row, previous, at) => {
      if (!targets.has(clusterId)) return;
      // Decided again at every change: a cluster whose RBAC is not known sends nothing.
      const decision = this.#decide(clusterId, kind);
      if (decision.mode !== 'index') return;
      const now = type !== 'DELETED' && sees(decision.cluster, row);
      const before =
        type !== 'ADDED' && sees(decision.cluster, type === 'DELETED' ? row : previous);
      const out = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
      if (out !== undefined) handler({ type: out, clusterId, object: row.object, at });
    };
    let set = this.#listeners.get(kind.informer);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(kind.informer, set);
    }
    set.add(listener);
    const undecided = [...targets].filter((id) => this.#decide(id, kind).mode !== 'index').sort();
    return {
      undecided,
      stop: () => {
        this.#listeners.get(kind.informer)?.delete(listener);
      },
    };
  }

  /** The objects of the current view one caller may list in one cluster (tests, initial state). */
  snapshot(
    identity: Identity,
    resource: KubeResource,
    clusterId: string,
  ): KubeObject[] | undefined {
    const kind = this.#kindOf(resource);
    const decision = this.#decide(clusterId, kind);
    if (decision.mode !== 'index') return undefined;
    const scope = decision.cluster.scope(kubeUserOf(identity), 'list', kind);
    const rows = this.#tables.get(kind.informer)?.clusterRows(clusterId) ?? new Set<Row>();
    return [...rows].filter((r) => scopeAllows(scope, r.namespace)).map((r) => r.object);
  }

  clusterStatus(clusterId: string): FleetClusterStatus | undefined {
    const cluster = this.#clusters.get(clusterId);
    if (cluster === undefined) return undefined;
    let synced = true;
    let objects = 0;
    let staleSince: number | undefined;
    let syncedAt: number | undefined;
    for (const kind of [...this.#kinds.values()]) {
      const s = this.#o.informers.status?.(clusterId, kind.informer);
      objects += this.#tables.get(kind.informer)?.clusterRows(clusterId).size ?? 0;
      if (s?.synced !== true) synced = false;
      if (s?.staleSince !== undefined) staleSince = Math.min(staleSince ?? Infinity, s.staleSince);
      if (s?.syncedAt !== undefined) syncedAt = Math.max(syncedAt ?? 0, s.syncedAt);
    }
    const rbac = cluster.rbacReady(this.#now(), this.#o.maxRbacStaleMs ?? 60_000);
    return {
      clusterId,
      synced: synced && rbac,
      authorization:
        rbac && !this.#liveClusters.has(clusterId) && !this.#liveClusters.has('*')
          ? 'RBAC'
          : 'LIVE',
      objects,
      ...(staleSince === undefined ? {} : { staleSince }),
      ...(syncedAt === undefined ? {} : { syncedAt }),
    };
  }

  /** Objects held per kind (metrics, the bench). */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.#tables].map(([k, t]) => [k, t.size]));
  }

  #kindOf(resource: KubeResource): IndexedKind {
    const kind = this.#kinds.get(kindKeyOf(resource));
    if (kind === undefined)
      throw new Error(`the fleet index does not follow ${kindKeyOf(resource)}`);
    return kind;
  }

  #prepare(
    kind: IndexedKind,
    filter: FleetFilter,
    where: ((o: KubeObject) => boolean) | undefined,
  ): PreparedFilter {
    // Namespaces mean nothing to a cluster-scoped kind (except namespaces themselves).
    const scoped = kind.namespaced || kind.informer === 'namespaces';
    const effective: FleetFilter = scoped
      ? filter
      : { ...filter, namespaces: undefined, projectIds: undefined };
    const projects = scoped ? effective.projectIds : undefined;
    let byCluster: ((clusterId: string) => ReadonlySet<string>) | undefined;
    if (projects !== undefined) {
      const memo = new Map<string, ReadonlySet<string>>();
      const namespaces = this.#tables.get('namespaces')!;
      byCluster = (clusterId) => {
        let set = memo.get(clusterId);
        if (set !== undefined) return set;
        const values = new Set(
          projects.flatMap((ref) => {
            const colon = ref.lastIndexOf(':');
            const c = colon <= 0 ? undefined : ref.slice(0, colon);
            const p = colon <= 0 ? ref : ref.slice(colon + 1);
            return c === undefined || c === clusterId ? [`${clusterId}_${p}`] : [];
          }),
        );
        set = new Set(
          [...namespaces.clusterRows(clusterId)]
            .filter((r) => values.has(r.labels[PROJECT_ID_KEY] ?? ''))
            .map((r) => r.name),
        );
        memo.set(clusterId, set);
        return set;
      };
    }
    return prepareFilter(
      { ...effective, ...(effective.namespaces === undefined ? {} : {}) },
      byCluster,
      where,
    );
  }
}

function forbiddenFailure(clusterId: string, user: KubeUser, kind: IndexedKind): ClusterFailure {
  return {
    clusterId,
    code: 'FORBIDDEN',
    message: `${kind.resource} is forbidden: User "${user.name}" cannot list resource "${kind.resource}" in API group "${kind.group}" at the cluster scope`,
    retryable: false,
  };
}
