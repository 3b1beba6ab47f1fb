import type { PaddockConfig } from '../config/index.js';
import type { Logger, Store } from '../domain/index.js';
import { createIdentityServices, type IdentityServices } from '../identity/index.js';
import { PendingLoginStore, StoredRedirectLoginFlow } from '../identity/oauth/index.js';
import {
  authRoutes,
  createHttpMetrics,
  type HttpMetrics,
  type HttpRoute,
  healthRoutes,
} from '../server/index.js';
import { openStore } from '../store/index.js';
import { loadServerKeys } from './server-keys.js';

/** Everything `paddock serve` runs, built from the configuration; `close` undoes it in order. */
export interface App {
  readonly store: Store;
  readonly identity: IdentityServices;
  readonly routes: readonly HttpRoute[];
  readonly metrics: HttpMetrics;
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
    const redirectLogin = new StoredRedirectLoginFlow(
      identity.providers,
      new PendingLoginStore(store),
      identity.login,
    );
    const routes: HttpRoute[] = [
      ...healthRoutes([{ name: 'store', check: () => store.ping() }], metrics),
      ...authRoutes({
        passwordLogin: identity.login,
        redirectLogin,
        serverUrl: config.serverUrl,
        maxBodyBytes: Math.min(config.maxBodyBytes, 64 * 1024),
      }),
    ];
    return {
      store,
      identity,
      routes,
      metrics,
      ...(bootstrap.created && bootstrap.generatedPassword !== undefined
        ? {
            bootstrapPassword: {
              username: bootstrap.username,
              password: bootstrap.generatedPassword,
            },
          }
        : {}),
      async close() {
        identity.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
