import { join } from 'node:path';
import type { PaddockConfig } from '../config/index.js';
import { AesGcmSecretBox, loadOrCreateKeyFile, parseEncryptionKey } from '../identity/index.js';

export interface ServerKeys {
  readonly secretBox: AesGcmSecretBox;
  readonly apiKeyPepper: Buffer;
  /** True when a key was generated into the data directory (fine for one replica only). */
  readonly generated: boolean;
}

/**
 * The encryption key for secrets at rest and the API-key pepper: from configuration, else
 * generated once into `<dataDir>/keys/` (0600). Replicas sharing a Redis must configure both.
 */
export async function loadServerKeys(config: PaddockConfig): Promise<ServerKeys> {
  const keysDir = join(config.dataDir, 'keys');
  const encryptionKey =
    config.encryptionKey === undefined
      ? await loadOrCreateKeyFile(join(keysDir, 'encryption.key'))
      : parseEncryptionKey(config.encryptionKey);
  const apiKeyPepper =
    config.apiKeyPepper === undefined
      ? await loadOrCreateKeyFile(join(keysDir, 'api-key-pepper.key'))
      : parseEncryptionKey(config.apiKeyPepper);
  return {
    secretBox: new AesGcmSecretBox(encryptionKey, {
      previousKeys: (config.previousEncryptionKeys ?? '')
        .split(',')
        .filter((k) => k !== '')
        .map((k) => parseEncryptionKey(k)),
    }),
    apiKeyPepper,
    generated: config.encryptionKey === undefined || config.apiKeyPepper === undefined,
  };
}
