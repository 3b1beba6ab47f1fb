/**
 * The operations side of `paddock serve`'s wiring: the controller host with its leases, the
 * scheduled backups, and the readiness checks that the keys fit the store's.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PaddockConfig } from '../config/index.js';
import { ControllerHost, StoreLeases } from '../controllers/index.js';
import type { Logger, Store } from '../domain/index.js';
import { KeyCanaries } from '../identity/index.js';
import type { ReadinessCheck } from '../server/index.js';
import {
  migrateStore,
  OLDEST_COMPATIBLE_SCHEMA,
  ScheduledBackups,
  STORE_SCHEMA_VERSION,
  type StoreSchemaRecord,
  sealBackupKeys,
  storeMigrations,
} from '../store/index.js';
import { packageVersion } from './package-version.js';
import type { ServerKeys } from './server-keys.js';

/** One host for every background controller, each on one replica at a time. */
export function createControllerHost(store: Store, logger: Logger): ControllerHost {
  return new ControllerHost({
    leases: new StoreLeases({
      store,
      holder: `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`,
      ttlSeconds: 10,
    }),
    logger,
    renewEveryMs: 3_000,
  });
}

/** The scheduled backups `--backup-every` asks for, if it does. */
export function scheduledBackupsOf(
  config: PaddockConfig,
  store: Store,
  keys: ServerKeys,
  logger: Logger,
): ScheduledBackups | undefined {
  if (config.backupEvery === undefined) return undefined;
  const passphrase = config.backupPassphrase;
  return new ScheduledBackups({
    store,
    directory: config.backupDir ?? join(config.dataDir, 'backups'),
    everyMs: config.backupEvery,
    keepMs: config.backupKeep,
    logger,
    ...(passphrase === undefined
      ? {}
      : {
          keys: () =>
            sealBackupKeys(
              {
                encryptionKey: keys.encryptionKey,
                previousEncryptionKeys: keys.previousEncryptionKeys,
                apiKeyPepper: keys.apiKeyPepper,
              },
              passphrase,
            ),
        }),
  });
}

/**
 * Readiness checks that this replica's encryption key and pepper are the other replicas'
 * (the first replica writes the canaries). A mismatch is logged once, loudly, at start.
 */
export async function keyReadinessChecks(
  store: Store,
  keys: ServerKeys,
  logger: Logger,
): Promise<ReadinessCheck[]> {
  const canaries = new KeyCanaries(store, {
    secretBox: keys.secretBox,
    apiKeyPepper: keys.apiKeyPepper,
  });
  await canaries.ensure();
  const checks: ReadinessCheck[] = [
    { name: 'encryption-key', check: () => canaries.checkEncryptionKey() },
    { name: 'api-key-pepper', check: () => canaries.checkApiKeyPepper() },
  ];
  for (const c of checks) {
    await c.check().catch((err: unknown) => {
      logger.error({ check: c.name, reason: (err as Error).message }, 'not ready: keys differ');
    });
  }
  return checks;
}

/** Brings the store to this release's schema (or fails on one it cannot run against). */
export function migrateToThisRelease(store: Store, logger: Logger): Promise<StoreSchemaRecord> {
  return migrateStore(
    store,
    {
      version: STORE_SCHEMA_VERSION,
      oldestCompatible: OLDEST_COMPATIBLE_SCHEMA,
      migrations: storeMigrations,
      release: packageVersion(),
    },
    { logger },
  );
}
