import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { PaddockConfig } from '../config/index.js';
import { PaddockError } from '../errors/index.js';
import { AesGcmSecretBox, loadOrCreateKeyFile, parseEncryptionKey } from '../identity/index.js';

export interface ServerKeys {
  readonly secretBox: AesGcmSecretBox;
  readonly encryptionKey: Buffer;
  readonly previousEncryptionKeys: readonly Buffer[];
  readonly apiKeyPepper: Buffer;
  /** True when a key was generated into the data directory (fine for one replica only). */
  readonly generated: boolean;
}

/** The key files of a data directory, for keys that are not configured. */
export function keyFilesOf(dataDir: string): { encryptionKey: string; apiKeyPepper: string } {
  const keysDir = join(dataDir, 'keys');
  return {
    encryptionKey: join(keysDir, 'encryption.key'),
    apiKeyPepper: join(keysDir, 'api-key-pepper.key'),
  };
}

/**
 * The encryption key for secrets at rest and the API-key pepper: from configuration, else
 * generated once into `<dataDir>/keys/` (0600). Replicas sharing a Redis must configure both.
 * With `create: false` a missing key file is NOT_FOUND instead of a new key (commands that
 * must not invent keys: backups and restores).
 */
export async function loadServerKeys(
  config: PaddockConfig,
  options: { create?: boolean } = {},
): Promise<ServerKeys> {
  const files = keyFilesOf(config.dataDir);
  const fromFile = async (path: string, setting: string) => {
    if (options.create === false) {
      await access(path).catch(() => {
        throw new PaddockError(
          'NOT_FOUND',
          `no ${setting} is configured and ${path} does not exist`,
          { reason: 'no_server_keys' },
        );
      });
    }
    return loadOrCreateKeyFile(path);
  };
  const encryptionKey =
    config.encryptionKey === undefined
      ? await fromFile(files.encryptionKey, 'PADDOCK_ENCRYPTION_KEY')
      : parseEncryptionKey(config.encryptionKey);
  const apiKeyPepper =
    config.apiKeyPepper === undefined
      ? await fromFile(files.apiKeyPepper, 'PADDOCK_API_KEY_PEPPER')
      : parseEncryptionKey(config.apiKeyPepper);
  const previousEncryptionKeys = (config.previousEncryptionKeys ?? '')
    .split(',')
    .filter((k) => k !== '')
    .map((k) => parseEncryptionKey(k));
  return {
    secretBox: new AesGcmSecretBox(encryptionKey, { previousKeys: previousEncryptionKeys }),
    encryptionKey,
    previousEncryptionKeys,
    apiKeyPepper,
    generated: config.encryptionKey === undefined || config.apiKeyPepper === undefined,
  };
}
