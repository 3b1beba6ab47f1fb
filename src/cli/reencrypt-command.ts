import { resealClusterCredentials } from '../datasources/index.js';
import { KeyCanaries, resealIdentitySecrets, resealWith } from '../identity/index.js';
import { resealSharedCa } from '../server/index.js';
import { openStore } from '../store/index.js';
import { type CliIo, exitCodes } from './cli-io.js';
import { readConfig } from './read-config.js';
import { loadServerKeys } from './server-keys.js';

/**
 * `paddock reencrypt`: after setting a new PADDOCK_ENCRYPTION_KEY and listing the old one in
 * PADDOCK_PREVIOUS_ENCRYPTION_KEYS, re-seals every secret at rest (signing keys, provider
 * secrets, refresh tokens, cluster credentials) under the new key. Safe beside running
 * replicas configured with both keys; afterwards the old key can be dropped.
 */
export async function reencryptCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const loaded = readConfig('reencrypt', io, argv);
  if (typeof loaded === 'number') return loaded;
  const { config } = loaded;
  if (config.encryptionKey === undefined && config.previousEncryptionKeys === undefined) {
    io.stderr(
      'paddock: reencrypt needs the new key in PADDOCK_ENCRYPTION_KEY and the old ones in ' +
        'PADDOCK_PREVIOUS_ENCRYPTION_KEYS\n',
    );
    return exitCodes.usage;
  }
  const keys = await loadServerKeys(config);
  const store = await openStore({
    redisUrl: config.redisUrl,
    dataDir: config.dataDir,
    keyPrefix: config.redisKeyPrefix,
    minFreeBytes: config.storeMinFreeMegabytes * 1024 * 1024,
  });
  try {
    const identitySecrets = await resealIdentitySecrets(store, keys.secretBox);
    const reseal = resealWith(keys.secretBox);
    const clusters = await resealClusterCredentials(store, (sealed, place) =>
      reseal(sealed, place),
    );
    await resealSharedCa(store, (sealed, place) => reseal(sealed, place));
    // Replicas still on the old key only must then say they are not ready.
    await new KeyCanaries(store, {
      secretBox: keys.secretBox,
      apiKeyPepper: keys.apiKeyPepper,
    }).reseal(reseal);
    io.stdout(
      `paddock: re-encrypted ${identitySecrets} identity records and ${clusters} cluster records\n`,
    );
    return exitCodes.ok;
  } catch (err) {
    io.stderr(`paddock: reencrypt failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failure;
  } finally {
    await store.close();
  }
}
