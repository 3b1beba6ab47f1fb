import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAccessServices } from '../access/index.js';
import {
  AlertController,
  AlertingService,
  NotifierStore,
  outboundPolicy,
  sendOutbound,
  setOutboundPolicy,
} from '../alerting/index.js';
import { type Apps, createApps } from '../apps/index.js';
import { createImportManifestRoute, createK8sProxy, OpenStreams } from '../authproxy/index.js';
import type { PaddockConfig } from '../config/index.js';
import type { ControllerHost } from '../controllers/index.js';
import {
  CapacityRefresher,
  ClusterAdminService,
  createAgentConnectRoute,
  createOutboundGuard,
  DatasourceClusterRegistry,
  PendingImportSweeper,
  StoreCapacityBoard,
  TunnelHub,
} from '../datasources/index.js';
import { SharedInformers } from '../datasources/informers/index.js';
import { createCallerNamespaceScope, createKubeApi } from '../datasources/kube-api/index.js';
import {
  ObjectSetPush,
  RbacSyncController,
  SYNC_STATUS_COLLECTION,
} from '../datasources/rbac-sync/index.js';
import { SETTING_CLUSTER_IMPORT_TTL_MINUTES } from '../domain/cluster-admin.js';
import type { Logger, PasswordProvider, Store } from '../domain/index.js';
import type { LoggingPushStatus } from '../domain/logging.js';
import {
  SETTING_OUTBOUND_ALLOWED_NETWORKS,
  SETTING_OUTBOUND_DENIED_NETWORKS,
} from '../domain/outbound-guard.js';
import type { RbacSyncStatus } from '../domain/rbac-downstream.js';
import { SETTING_SERVER_URL } from '../domain/settings-admin.js';
import { FleetIndexService } from '../fleet-index/index.js';
import {
  createAuthConfigAdmin,
  createPreferencesStore,
  type IdentityServices,
  StoreCredentialEvents,
} from '../identity/index.js';
import { PendingLoginStore, StoredRedirectLoginFlow } from '../identity/oauth/index.js';
import { LoggingController, LoggingService } from '../logging/index.js';
import { createGraphQLEndpoint, principalSearchAcross } from '../server/graphql/index.js';
import {
  authRoutes,
  consoleRoute,
  createHttpMetrics,
  createKubeconfigIssuer,
  type HttpMetrics,
  type HttpRoute,
  healthRoutes,
  kubeconfigRoute,
  loadServingTls,
  metricsRoute,
  ServerLifecycle,
  type ServingTls,
} from '../server/index.js';
import {
  createStoreSettings,
  openStore,
  StoreStatusBoard,
  settingsCollection,
} from '../store/index.js';
import { composeIdentity } from './compose-identity.js';
import {
  createControllerHost,
  keyReadinessChecks,
  migrateToThisRelease,
  scheduledBackupsOf,
} from './compose-operations.js';
import { importKubeconfigContexts } from './import-kubeconfig.js';
import { loadServerKeys } from './server-keys.js';

/** Everything `paddock serve` runs, built from the configuration; `close` undoes it in order. */
export interface App {
  readonly store: Store;
  readonly identity: IdentityServices;
  readonly clusters: DatasourceClusterRegistry;
  /** Catalogs, apps and multi-cluster apps (for the demo and tests). */
  readonly apps: Apps;
  /** Background controllers, each on one replica at a time through a lease in the store. */
  readonly controllers: ControllerHost;
  readonly routes: readonly HttpRoute[];
  readonly metrics: HttpMetrics;
  /** Undefined when serving plain HTTP behind a TLS-terminating load balancer. */
  readonly tls: ServingTls | undefined;
  /** The first admin's generated password, to print once; undefined if none was generated. */
  readonly bootstrapPassword?: { username: string; password: string };
  /** `beginShutdown` makes `/readyz` fail at once and hands the controllers to other replicas. */
  readonly lifecycle: ServerLifecycle;
  /** Ends watches, tunnels and GraphQL WebSockets cleanly, so clients reconnect elsewhere. */
  endStreams(): void;
  /** Kills what would outlive the process (Helm children) when a shutdown runs out of time. */
  killChildren(): void;
  close(): Promise<void>;
}

/** Timings tests and the demo shorten; production uses the defaults. */
export interface ComposeOptions {
  readonly reconcileIntervalMs?: number;
  readonly retryMs?: number;
  readonly catalogRefreshIntervalMs?: number;
}

/** The composition root's wiring: the one place that picks concrete adapters. */
export async function composeApp(
  config: PaddockConfig,
  logger: Logger,
  options: ComposeOptions = {},
): Promise<App> {
  const store = await openStore({
    redisUrl: config.redisUrl,
    dataDir: config.dataDir,
    keyPrefix: config.redisKeyPrefix,
    logger,
    minFreeBytes: config.storeMinFreeMegabytes * 1024 * 1024,
  });
  const closers: (() => Promise<void> | void)[] = [() => store.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    // Forward migrations first; a store this release cannot run against stops it here.
    await migrateToThisRelease(store, logger);
    const keys = await loadServerKeys(config);
    if (keys.generated && config.redisUrl !== undefined) {
      logger.warn(
        'PADDOCK_ENCRYPTION_KEY / PADDOCK_API_KEY_PEPPER are generated per data directory; ' +
          'replicas sharing this Redis must all be configured with the same values',
      );
    }
    // Identity asks access whether a principal is a member anywhere (access mode `restricted`);
    // access is built from identity's users, so the first call goes through this late binding.
    let hasAnyMembership: (ids: readonly string[]) => Promise<boolean> = async () => false;
    // One settings object reads and writes, so an update is seen by the next read at once.
    const settings = createStoreSettings({ store, fixed: { 'server-url': config.serverUrl } });
    const identity = await composeIdentity(
      config,
      store,
      keys,
      logger,
      (ids) => hasAnyMembership(ids),
      settings,
    );
    closers.push(() => identity.close());
    const keyChecks = await keyReadinessChecks(store, keys, logger);

    const metrics = createHttpMetrics();
    const tls = config.insecureHttp
      ? undefined
      : await loadServingTls({
          dataDir: config.dataDir,
          certFile: config.tlsCertFile,
          keyFile: config.tlsKeyFile,
          caFile: config.tlsCaFile,
          shared: { store, secretBox: keys.secretBox, logger },
        });

    const settingValue = async (name: string) => (await settings.get(name))?.value ?? '';
    // Where Paddock may connect for users: every dial to a cluster endpoint is checked.
    const outbound = createOutboundGuard({
      networks: async () => ({
        allowed: await settingValue(SETTING_OUTBOUND_ALLOWED_NETWORKS),
        denied: await settingValue(SETTING_OUTBOUND_DENIED_NETWORKS),
      }),
      onReadError: (err) => logger.warn({ err }, 'cannot read the outbound network settings'),
    });
    await outbound.refresh();
    // Clusters Paddock cannot dial are reached through tunnels their agents open (ADR 0017).
    const tunnels = new TunnelHub();
    const clusters = new DatasourceClusterRegistry({
      store,
      secretBox: keys.secretBox,
      logger,
      outbound,
      probeIntervalMs: config.clusterProbeIntervalSeconds * 1000,
      tunnels,
      agentManifest: {
        image: config.agentImage,
        ...(tls?.caPem === undefined ? {} : { serverCaPem: tls.caPem }),
        serverUrl: async () => (await settingValue('server-url')) || undefined,
      },
    });
    const agentConnect = createAgentConnectRoute({ registrar: clusters, hub: tunnels, logger });
    closers.push(() => agentConnect.close());
    if (config.importKubeconfig) {
      await importKubeconfigContexts(config.kubeconfigFiles, clusters, logger);
    }
    clusters.start();
    closers.push(() => clusters.stop());
    const controllers = createControllerHost(store, logger);
    closers.push(() => controllers.stop());
    // Capacity is read on one replica (a controller) and served from memory on all of them:
    // snapshots travel through the store and its change feed.
    const capacityIntervalMs = 30_000;
    const capacityBoard = new StoreCapacityBoard({
      store,
      logger,
      staleAfterMs: 3 * capacityIntervalMs,
    });
    closers.push(() => capacityBoard.close());
    const capacity = new CapacityRefresher({
      clusters,
      logger,
      intervalMs: capacityIntervalMs,
      board: capacityBoard,
    });
    controllers.add(capacity);
    // Likewise the push-down's outcome per cluster, which GraphQL shows on every replica.
    const syncStatuses = new StoreStatusBoard<RbacSyncStatus>({
      store,
      logger,
      collection: SYNC_STATUS_COLLECTION,
      label: 'rbac sync',
    });
    await syncStatuses.start();
    closers.push(() => syncStatuses.close());

    let sync: RbacSyncController | undefined;
    const requireSync = () => {
      if (sync === undefined) throw new Error('the RBAC push-down has not started');
      return sync;
    };
    const access = createAccessServices({
      store,
      userForPrincipal: async (principalId) =>
        (await identity.users.findByPrincipal(principalId))?.id,
      provisionUser: identity.provisionUser,
      groupsOfUser: async (userId) =>
        (await identity.users.get(userId))?.groups.map((g) => g.id) ?? [],
      downstream: { read: (clusterId) => requireSync().read(clusterId) },
      syncStatus: {
        status: (clusterId) => requireSync().status(clusterId),
        statuses: () => requireSync().statuses(),
      },
      namespaces: {
        assign: (clusterId, namespace, projectId) =>
          requireSync().assign(clusterId, namespace, projectId),
      },
    });
    closers.push(() => access.close());
    hasAnyMembership = (ids) => access.authorizer.hasAnyMembership(ids);
    // `restricted` access counts memberships: a removed binding may end someone's access.
    closers.push(access.state.watch(() => identity.authenticator.accessChanged()));
    // After a gap in the change feed (Redis pub/sub dropped), nothing it would have told is
    // trusted: cached access state and cluster connections are read again.
    const unwatchFeed = store.onFeedState?.((live) => {
      if (!live) return;
      access.state.invalidate();
      clusters.resync().catch((err: unknown) => logger.warn({ err }, 'cluster resync failed'));
    });
    if (unwatchFeed) closers.push(unwatchFeed);
    // Logouts, revoked keys, disabled users and changed access rules, from every replica.
    const credentialEvents = new StoreCredentialEvents(store, {
      accessChanges: identity.authenticator,
    });
    // The push-down runs on one replica at a time (a controller); reading a cluster's RBAC and
    // moving a namespace, which GraphQL asks for, work on every replica.
    sync = new RbacSyncController({
      clusters,
      access: access.state,
      logger,
      metricsRegistry: metrics.registry,
      resyncIntervalMs: 60_000,
      statuses: syncStatuses,
    });
    controllers.add(sync);

    // One JSON line per change to a cluster's registration, as for the proxy's writes.
    const clusterAudit = {
      write: (event: unknown) => logger.info({ audit: event }, 'cluster audit'),
    };
    const clusterAdmin = new ClusterAdminService({
      registry: clusters,
      authorizer: access.authorizer,
      ownership: access.ownership,
      audit: clusterAudit,
      logger,
    });
    const sweeper = new PendingImportSweeper({
      registry: clusters,
      ownership: access.ownership,
      audit: clusterAudit,
      logger,
      ttlMs: async () => {
        const minutes = Number(await settingValue(SETTING_CLUSTER_IMPORT_TTL_MINUTES));
        // Never sweep everything because a setting could not be read.
        return (Number.isFinite(minutes) && minutes > 0 ? minutes : 1440) * 60_000;
      },
    });
    controllers.add(sweeper);
    const backups = scheduledBackupsOf(config, store, keys, logger);
    if (backups !== undefined) controllers.add(backups);

    // Notifiers and log targets are user-given too: the same outbound networks apply to them.
    setOutboundPolicy({
      check: async (host) => {
        await outbound.resolve(host);
      },
      lookup: outbound.lookup,
    });
    // Cluster tools: one watch per cluster and kind, shared by alerting (and later consumers).
    const informers = new SharedInformers({ clusters, logger });
    closers.push(() => informers.stop());
    // Every replica keeps its own fleet index over the same informers (ADR 0020).
    const fleetIndex = new FleetIndexService({ informers, clusters, settings, logger });
    await fleetIndex.start();
    // A changed setting (index on/off, live clusters, custom kinds) applies at once, on every
    // replica, rather than at the index's next periodic refresh.
    const unwatchSettings = store
      .collection(settingsCollection)
      .watch(() => void fleetIndex.refresh());
    closers.push(() => {
      unwatchSettings();
      return fleetIndex.stop();
    });
    const notifierStore = new NotifierStore(store, keys.secretBox);
    const projectExists = async (clusterId: string, projectId: string) =>
      (await access.state.snapshot()).projects.some(
        (p) => p.clusterId === clusterId && p.id === projectId,
      );
    const alerting = new AlertingService({
      store,
      access: access.authorizer,
      notifiers: notifierStore,
      clusterExists: async (id) => (await clusters.get(id)) !== undefined,
      projectExists,
      ...(config.serverUrl === undefined ? {} : { externalUrl: () => config.serverUrl ?? '' }),
    });
    controllers.add(
      new AlertController({
        store,
        informers,
        clusters,
        notifiers: notifierStore,
        logger,
        metricsRegistry: metrics.registry,
        ...(config.serverUrl === undefined ? {} : { externalUrl: () => config.serverUrl ?? '' }),
      }),
    );

    // The collector's push outcome, shown by loggingStatus on every replica.
    const loggingStatuses = new StoreStatusBoard<LoggingPushStatus>({
      store,
      logger,
      collection: 'logging-push-status',
      label: 'logging',
    });
    await loggingStatuses.start();
    closers.push(() => loggingStatuses.close());
    const loggingController = new LoggingController({
      store,
      statuses: loggingStatuses,
      objects: new ObjectSetPush({ connection: (id) => clusters.managerConnection(id) }),
      clusters,
      secretBox: keys.secretBox,
      logger,
    });
    controllers.add(loggingController);
    const logging = new LoggingService({
      store,
      access: access.authorizer,
      secretBox: keys.secretBox,
      http: sendOutbound,
      // One outbound policy for alerting and logging: whatever setOutboundPolicy installed.
      policy: {
        check: (host) => outboundPolicy().check(host),
        get lookup() {
          return outboundPolicy().lookup;
        },
      },
      clusterExists: async (id) => (await clusters.get(id)) !== undefined,
      projectExists,
      pushStatus: loggingController,
    });

    const bootstrap = await identity.bootstrapAdmin(config.bootstrapPassword);
    if (bootstrap.created) await access.authorizer.grantGlobalRole(bootstrap.userId, 'admin');
    else await ensureAdminExists(identity, access.authorizer, logger);

    const proxy = createK8sProxy({
      authenticator: identity.authenticator,
      clusters,
      logger,
      metricsRegistry: metrics.registry,
      // One JSON line per mutating request: who, which cluster, verb, path, status.
      auditSink: { write: (event) => logger.info({ audit: event }, 'k8s audit') },
      maxBodyBytes: config.maxBodyBytes,
      credentialEvents,
    });
    closers.push(() => proxy.close());

    const passwordProviders = (): PasswordProvider[] =>
      identity.providers
        .list()
        .filter((p) => p.kind === 'password')
        .flatMap((p) => identity.providers.get(p.name)?.provider ?? []);
    // One issuer for GET /v1/kubeconfig and the GraphQL `kubeconfig` mutation.
    const kubeconfig = createKubeconfigIssuer({
      clusters,
      apiKeys: identity.apiKeys,
      settings,
      visibleClusterIds: (caller) => access.authorizer.visibleClusterIds(caller),
      caPem: tls?.caPem,
      ...(config.serverUrl === undefined ? {} : { serverUrl: config.serverUrl }),
    });
    const graphqlSockets = new OpenStreams({
      authenticator: identity.authenticator,
      logger,
      credentialEvents,
      label: 'GraphQL WebSockets',
    });
    closers.push(() => graphqlSockets.close());
    const kubeApi = createKubeApi({ connections: clusters });
    const downstreamNamespaces = async (clusterId: string) =>
      (await requireSync().read(clusterId)).namespaces;
    const namespaceScope = createCallerNamespaceScope({
      access: access.state,
      namespaces: downstreamNamespaces,
    });
    const apps = createApps({
      store,
      secretBox: keys.secretBox,
      logger,
      kubeApi,
      namespaceScope,
      namespaces: downstreamNamespaces,
      access: access.state,
      clusters,
      visibleClusterIds: (caller) => access.authorizer.visibleClusterIds(caller),
      apiKeys: identity.apiKeys,
      credentialEvents,
      users: identity.users,
      settings,
      helmBinary: config.helmBinary,
      helmCacheDir: join(config.dataDir, 'helm-cache'),
      outbound: {
        lookup: outbound.lookup,
        check: async (host) => {
          await outbound.resolve(host);
        },
      },
      selfProxy: {
        baseUrl: config.helmProxyUrl ?? loopbackUrl(config, tls !== undefined),
        ...(tls?.caPem === undefined ? {} : { caPem: tls.caPem }),
      },
      ...options,
    });
    closers.push(() => apps.close());
    for (const controller of apps.controllers) controllers.add(controller);
    const graphql = await createGraphQLEndpoint({
      logger,
      openStreams: graphqlSockets,
      production: config.environment === 'production',
      ...(config.graphqlIntrospection === undefined
        ? {}
        : { introspection: config.graphqlIntrospection }),
      maxBodyBytes: Math.min(config.maxBodyBytes, 1024 * 1024),
      ports: {
        authenticator: identity.authenticator,
        login: identity.login,
        passwordChange: identity.login,
        preferences: createPreferencesStore(store),
        kubeconfig,
        loginProviders: identity.providers,
        apiKeys: identity.apiKeys,
        users: identity.users,
        clusters,
        clusterAdmin,
        principals: principalSearchAcross(passwordProviders, (err) =>
          logger.warn({ err }, 'principal search failed at one provider'),
        ),
        authorizer: access.authorizer,
        authConfigAdmin: createAuthConfigAdmin({
          configs: identity.authConfigs,
          factoryFor: (provider) => identity.authConfigSync.factoryFor(provider),
          enforcer: identity.createAccessEnforcer(access.userRights),
          outbound,
        }),
        sessions: identity.accountSessions,
        userAdmin: identity.createUserAdmin(access.userRights),
        settings,
        settingsAdmin: settings,
        access: access.state,
        accessAdmin: access.service,
        capacity: capacityBoard,
        alerting,
        logging,
        kubeApi,
        namespaceScope,
        apps,
        fleetIndex,
      },
    });
    closers.push(() => graphql.stop());

    const redirectLogin = new StoredRedirectLoginFlow(
      identity.providers,
      new PendingLoginStore(store),
      identity.login,
    );
    await controllers.start();
    const lifecycle = new ServerLifecycle();
    // Leases given back at the first moment of a shutdown: another replica takes over while
    // this one still drains its requests.
    lifecycle.onShutdown(() => {
      controllers.stop().catch((err: unknown) => logger.warn({ err }, 'stopping controllers'));
    });
    const routes: HttpRoute[] = [
      ...healthRoutes([{ name: 'store', check: () => store.ping() }, ...keyChecks], {
        lifecycle,
      }),
      metricsRoute(metrics, {
        authenticator: identity.authenticator,
        mayView: (caller) => access.authorizer.allowsUrl(caller, { verb: 'get', path: '/metrics' }),
        visibleClusterIds: (caller) => access.authorizer.visibleClusterIds(caller),
        ...(config.metricsScrapeToken === undefined
          ? {}
          : { scrapeToken: config.metricsScrapeToken }),
      }),
      ...authRoutes({
        passwordLogin: identity.login,
        redirectLogin,
        serverUrl: async () => (await settings.get(SETTING_SERVER_URL))?.value || undefined,
        maxBodyBytes: Math.min(config.maxBodyBytes, 64 * 1024),
      }),
      ...graphql.routes,
      proxy.route,
      createImportManifestRoute({
        authenticator: identity.authenticator,
        manifests: clusters,
        // An agent cluster's manifest carries its registration secret (ADR 0017).
        authorize: (caller, clusterId) => clusterAdmin.mayReadImportManifest(caller, clusterId),
      }),
      agentConnect,
      kubeconfigRoute({ authenticator: identity.authenticator, issuer: kubeconfig }),
      // `npm run build` puts the console next to the compiled server: dist/console.
      await consoleRoute({ dir: fileURLToPath(new URL('../../console/', import.meta.url)) }),
    ];
    return {
      store,
      identity,
      clusters,
      apps,
      controllers,
      routes,
      metrics,
      tls,
      ...(bootstrap.created && bootstrap.generatedPassword !== undefined
        ? {
            bootstrapPassword: {
              username: bootstrap.username,
              password: bootstrap.generatedPassword,
            },
          }
        : {}),
      lifecycle,
      endStreams() {
        proxy.openStreams.endAll();
        graphqlSockets.endAll();
        // Agents move to another replica once their tunnel here carries no call.
        tunnels.drain('Paddock is shutting down');
      },
      killChildren: () => apps.killHelm(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Paddock's own listener as a process on this host reaches it (Helm, for apps). */
function loopbackUrl(config: PaddockConfig, secure: boolean): string {
  const host = ['0.0.0.0', '::', 'localhost'].includes(config.bind)
    ? '127.0.0.1'
    : config.bind.includes(':')
      ? `[${config.bind}]`
      : config.bind;
  return `${secure ? 'https' : 'http'}://${host}:${config.port}`;
}

/** A store restored from elsewhere, or older than RBAC, still gets an admin: the `admin` user. */
async function ensureAdminExists(
  identity: IdentityServices,
  authorizer: { ensureSomeAdmin(userId: string): Promise<boolean> },
  logger: Logger,
): Promise<void> {
  const admin = await identity.users.findByUsername('admin');
  if (admin !== undefined && (await authorizer.ensureSomeAdmin(admin.id))) {
    logger.warn({ userId: admin.id }, 'no user held the admin role; granted it to the admin user');
  }
}
