/**
 * Builds the apps adapter from the ports the composition root hands it: catalogs, releases,
 * multi-cluster apps and their two background controllers (to be added to the controller
 * host). Nothing here picks another adapter; clusters, identity and access arrive as ports.
 */
import type { LookupFunction } from 'node:net';
import type { ApiKeyManager } from '../domain/api-key-manager.js';
import type { AppsService } from '../domain/apps.js';
import type { CatalogService } from '../domain/catalogs.js';
import type { ClusterDirectory } from '../domain/cluster-directory.js';
import type { CredentialEvents } from '../domain/credential-events.js';
import type { Identity } from '../domain/identity.js';
import type { CallerNamespaceScope, KubeApi } from '../domain/kube-api.js';
import type { Logger } from '../domain/logger.js';
import type { MultiClusterAppService } from '../domain/multi-cluster-apps.js';
import type { AccessStateSource } from '../domain/rbac.js';
import type { DownstreamNamespace } from '../domain/rbac-downstream.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { SettingsReader } from '../domain/settings.js';
import type { Store } from '../domain/store.js';
import type { UserDirectory } from '../domain/user-directory.js';
import { AppsAccess } from './apps-access.js';
import { CatalogRefresher } from './catalogs/catalog-refresher.js';
import { StoreCatalogService } from './catalogs/catalog-service.js';
import { ChartSource } from './catalogs/chart-source.js';
import { RepoHttp } from './catalogs/repo-http.js';
import { HelmActions } from './helm/helm-actions.js';
import { checkHelmBinary, type HelmBinaryStatus } from './helm/helm-binary.js';
import { HelmRunner, type SelfProxy } from './helm/helm-runner.js';
import { OperationCredentials } from './helm/operation-credential.js';
import { MultiClusterAppController } from './multi-cluster/mca-controller.js';
import { StoreMultiClusterAppService } from './multi-cluster/mca-service.js';
import { OperationStore } from './releases/operation-store.js';
import { ReleaseReader } from './releases/release-reader.js';
import { HelmReleaseService } from './releases/release-service.js';

export interface AppsDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly logger: Logger;
  readonly kubeApi: KubeApi;
  readonly namespaceScope?: CallerNamespaceScope;
  /** Every namespace of a cluster as the manager reads it (project membership). */
  readonly namespaces?: (clusterId: string) => Promise<readonly DownstreamNamespace[]>;
  readonly access: AccessStateSource;
  readonly clusters: ClusterDirectory;
  /** The clusters an identity may see (`all` or a set), from the authorizer. */
  readonly visibleClusterIds: (caller: Identity) => Promise<'all' | ReadonlySet<string>>;
  readonly apiKeys: ApiKeyManager;
  readonly credentialEvents?: CredentialEvents;
  readonly users: UserDirectory;
  readonly settings: SettingsReader;
  /** The Helm binary to check and run (`helm` on PATH by default). */
  readonly helmBinary: string;
  /** How Helm reaches Paddock's own proxy. */
  readonly selfProxy: SelfProxy;
  /** Where Helm keeps each cluster's discovery cache between runs (e.g. `<data dir>/helm`). */
  readonly helmCacheDir?: string;
  /**
   * Resolves and checks the hosts of catalog URLs against the outbound network settings, so a
   * catalog cannot make Paddock fetch from a denied network (absent = no restriction).
   */
  readonly outbound?: {
    readonly lookup: LookupFunction;
    check(host: string): Promise<void>;
  };
  readonly catalogRefreshIntervalMs?: number;
  readonly reconcileIntervalMs?: number;
  readonly retryMs?: number;
  readonly now?: () => number;
}

export interface Apps {
  readonly catalogs: CatalogService;
  readonly releases: AppsService;
  readonly multiClusterApps: MultiClusterAppService;
  /** Background work for the controller host. */
  readonly controllers: readonly [CatalogRefresher, MultiClusterAppController];
  /** Resolves once the Helm binary has been checked (apps answer "unavailable" before). */
  readonly helmChecked: Promise<HelmBinaryStatus>;
  /** Aborts running operations and ends their Helm processes (SIGTERM, then SIGKILL). */
  close(): Promise<void>;
  /** SIGKILL to every Helm process still running: a shutdown that ran out of time. */
  killHelm(): void;
}

export function createApps(deps: AppsDeps): Apps {
  const now = deps.now ?? Date.now;
  let helm: HelmBinaryStatus | undefined;
  const helmChecked = checkHelmBinary(deps.helmBinary).then((status) => {
    helm = status;
    if (status.ok)
      deps.logger.info({ helm: status.version, path: status.path }, 'helm binary found');
    else deps.logger.warn({ reason: status.reason }, 'apps are unavailable');
    return status;
  });
  const outbound = deps.outbound;
  const http = new RepoHttp(
    outbound === undefined
      ? {}
      : { lookup: outbound.lookup, checkHost: (host) => outbound.check(host) },
  );
  const access = new AppsAccess({ access: deps.access, kubeApi: deps.kubeApi });
  const catalogs = new StoreCatalogService({
    store: deps.store,
    secretBox: deps.secretBox,
    access,
    accessState: deps.access,
    clusters: deps.clusters,
    charts: new ChartSource({ http, secretBox: deps.secretBox }),
    refresh: { http, secretBox: deps.secretBox, logger: deps.logger, now },
    now,
  });
  const reader = new ReleaseReader({
    kubeApi: deps.kubeApi,
    ...(deps.namespaceScope === undefined ? {} : { namespaceScope: deps.namespaceScope }),
    ...(deps.namespaces === undefined ? {} : { namespaces: deps.namespaces }),
    visibleClusters: async (caller) => {
      const visible = await deps.visibleClusterIds(caller);
      return (await deps.clusters.list())
        .filter((c) => c.health.state !== 'pending' && (visible === 'all' || visible.has(c.id)))
        .map((c) => c.id)
        .sort();
    },
  });
  const runner = new HelmRunner({
    binary: () => helm,
    proxy: deps.selfProxy,
    ...(deps.helmCacheDir === undefined ? {} : { cacheDir: deps.helmCacheDir }),
  });
  const actions = new HelmActions({
    runner,
    credentials: new OperationCredentials({
      apiKeys: deps.apiKeys,
      ...(deps.credentialEvents === undefined ? {} : { events: deps.credentialEvents }),
      logger: deps.logger,
      now,
    }),
  });
  const releases = new HelmReleaseService({
    kubeApi: deps.kubeApi,
    reader,
    catalogs,
    access,
    actions,
    operations: new OperationStore(deps.store, { now }),
    settings: deps.settings,
    logger: deps.logger,
  });
  const multiClusterApps = new StoreMultiClusterAppService({
    store: deps.store,
    access,
    catalogs,
    releases,
    reader,
    now,
  });
  const refresher = new CatalogRefresher({
    deps: () => catalogs.refreshDeps,
    intervalMs: deps.catalogRefreshIntervalMs ?? 10 * 60_000,
    logger: deps.logger,
  });
  const reconciler = new MultiClusterAppController({
    apps: multiClusterApps.apps,
    statuses: multiClusterApps.statuses,
    users: deps.users,
    kubeApi: deps.kubeApi,
    reader,
    access,
    catalogs,
    releases,
    actions,
    logger: deps.logger,
    now,
    ...(deps.reconcileIntervalMs === undefined ? {} : { intervalMs: deps.reconcileIntervalMs }),
    ...(deps.retryMs === undefined ? {} : { retryMs: deps.retryMs }),
  });
  return {
    catalogs,
    releases,
    multiClusterApps,
    controllers: [refresher, reconciler],
    helmChecked,
    async close() {
      releases.close();
      await runner.stopAll();
      await http.close();
    },
    killHelm: () => runner.killAll(),
  };
}
