import { createImportManifestRoute, createK8sProxy } from '../authproxy/index.js';
import type { PaddockConfig } from '../config/index.js';
import { DatasourceClusterRegistry } from '../datasources/index.js';
import type { Logger, Store } from '../domain/index.js';
import {
  createIdentityServices,
  type IdentityServices,
  StoreCredentialEvents,
} from '../identity/index.js';
import { PendingLoginStore, StoredRedirectLoginFlow } from '../identity/oauth/index.js';
import {
  authRoutes,
  createHttpMetrics,
  type HttpMetrics,
  type HttpRoute,
  healthRoutes,
  kubeconfigRoute,
  loadServingTls,
  type ServingTls,
} from '../server/index.js';
import { openStore } from '../store/index.js';
import { importKubeconfigContexts } from './import-kubeconfig.js';
import { loadServerKeys } from './server-keys.js';

/** Everything `paddock serve` runs, built from the configuration; `close` undoes it in order. */
export interface App {
  readonly store: Store;
  readonly identity: IdentityServices;
  readonly clusters: DatasourceClusterRegistry;
  readonly routes: readonly HttpRoute[];
  readonly metrics: HttpMetrics;
  /** Undefined when serving plain HTTP behind a TLS-terminating load balancer. */
  readonly tls: ServingTls | undefined;
  /** The first admin's generated password, to print once; undefined if none was generated. */
  readonly bootstrapPassword?: { username: string; password: string };
  close(): Promise<void>;
}

/** The composition root's wiring: picks the concrete store and identity adapters. */
export async function composeApp(config: PaddockConfig, logger: Logger): Promise<App> {
  const store = await openStore({
    redisUrl: config.redisUrl,
    dataDir: config.dataDir,
    keyPrefix: config.redisKeyPrefix,
    logger,
  });
  try {
    const keys = await loadServerKeys(config);
    if (keys.generated && config.redisUrl !== undefined) {
      logger.warn(
        'PADDOCK_ENCRYPTION_KEY / PADDOCK_API_KEY_PEPPER are generated per data directory; ' +
          'replicas sharing this Redis must all be configured with the same values',
      );
    }
    const identity = createIdentityServices({
      store,
      secretBox: keys.secretBox,
      apiKeyPepper: keys.apiKeyPepper,
      issuer: config.serverUrl ?? 'paddock',
      // Cluster and project memberships arrive with RBAC; until then `restricted` admits only
      // the provider's allowed principals.
      hasAnyMembership: async () => false,
      audit: (event) => logger.info({ audit: 'login', ...event }, 'login attempt'),
      onBackgroundError: (err) => logger.warn({ err }, 'identity background task failed'),
    });
    await identity.start();
    const bootstrap = await identity.bootstrapAdmin(config.bootstrapPassword);
    const metrics = createHttpMetrics();
    const tls = config.insecureHttp
      ? undefined
      : await loadServingTls({
          dataDir: config.dataDir,
          certFile: config.tlsCertFile,
          keyFile: config.tlsKeyFile,
          caFile: config.tlsCaFile,
        });
    const redirectLogin = new StoredRedirectLoginFlow(
      identity.providers,
      new PendingLoginStore(store),
      identity.login,
    );
    const clusters = new DatasourceClusterRegistry({ store, secretBox: keys.secretBox, logger });
    if (config.importKubeconfig) {
      await importKubeconfigContexts(config.kubeconfigFiles, clusters, logger);
    }
    clusters.start();
    const proxy = createK8sProxy({
      authenticator: identity.authenticator,
      clusters,
      logger,
      metricsRegistry: metrics.registry,
      // One JSON line per mutating request: who, which cluster, verb, path, status.
      auditSink: { write: (event) => logger.info({ audit: event }, 'k8s audit') },
      maxBodyBytes: config.maxBodyBytes,
      credentialEvents: new StoreCredentialEvents(store),
    });
    const routes: HttpRoute[] = [
      ...healthRoutes([{ name: 'store', check: () => store.ping() }], metrics),
      ...authRoutes({
        passwordLogin: identity.login,
        redirectLogin,
        serverUrl: config.serverUrl,
        maxBodyBytes: Math.min(config.maxBodyBytes, 64 * 1024),
      }),
      proxy.route,
      createImportManifestRoute({ authenticator: identity.authenticator, manifests: clusters }),
      kubeconfigRoute({
        authenticator: identity.authenticator,
        clusters,
        apiKeys: identity.apiKeys,
        // Until cluster membership exists every user sees every cluster's context; the
        // downstream RBAC still decides each request.
        visibleClusterIds: async () => 'all',
        caPem: tls?.caPem,
        serverUrl: config.serverUrl,
      }),
    ];
    return {
      store,
      identity,
      clusters,
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
      async close() {
        proxy.close();
        await clusters.stop();
        identity.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
