/**
 * Whether a backup's secrets can be opened after a restore, decided before anything is
 * written: with this Paddock's own keys, or with the keys the backup carries (`--keys`),
 * which are then put where this Paddock reads its keys from.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PaddockConfig } from '../config/index.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import { AesGcmSecretBox, keysVerdict, parseEncryptionKey } from '../identity/index.js';
import {
  type BackupContents,
  type BackupKeyBundle,
  STORE_SCHEMA_VERSION,
  type StoreSchemaRecord,
  storeSchemaCollection,
} from '../store/index.js';
import { keyFilesOf, loadServerKeys } from './server-keys.js';

/** A backup of a store migrated past what this release runs against is refused unwritten. */
export function checkRestoreSchema(contents: BackupContents): void {
  const schema = contents.records.find(
    (r) => r.collection === storeSchemaCollection.name && r.id === 'schema',
  )?.value as StoreSchemaRecord | undefined;
  if (schema !== undefined && schema.oldestCompatible > STORE_SCHEMA_VERSION) {
    throw refused(
      `the backup is of a store at schema ${schema.version}, which needs a release of schema ${schema.oldestCompatible} or newer (this one is ${STORE_SCHEMA_VERSION}); restore it with that release`,
    );
  }
}

export async function checkRestoreKeys(
  config: PaddockConfig,
  contents: BackupContents,
  restored: BackupKeyBundle | undefined,
): Promise<void> {
  if (restored !== undefined) {
    const configured = [
      ['PADDOCK_ENCRYPTION_KEY', config.encryptionKey, restored.encryptionKey],
      ['PADDOCK_API_KEY_PEPPER', config.apiKeyPepper, restored.apiKeyPepper],
    ] as const;
    for (const [setting, value, fromBackup] of configured) {
      if (value !== undefined && !parseEncryptionKey(value).equals(fromBackup)) {
        throw refused(
          `${setting} is set to another key than the backup's: unset it (the backup's key is ` +
            `then written into ${dirname(keyFilesOf(config.dataDir).encryptionKey)}) or set it ` +
            "to the backup's key",
        );
      }
    }
    const verdict = keysVerdict(contents.records, {
      secretBox: new AesGcmSecretBox(restored.encryptionKey, {
        previousKeys: restored.previousEncryptionKeys,
      }),
      apiKeyPepper: restored.apiKeyPepper,
    });
    if (verdict.encryptionKey === 'differs' || verdict.apiKeyPepper === 'differs') {
      throw refused('the keys in the backup do not fit its own records (was the file edited?)');
    }
    return;
  }
  let keys: Awaited<ReturnType<typeof loadServerKeys>> | undefined;
  try {
    keys = await loadServerKeys(config, { create: false });
  } catch (err) {
    if (!hasErrorCode(err, 'NOT_FOUND')) throw err;
  }
  // No keys at all yet (a new data directory): whatever the backup sealed is out of reach.
  const verdict = keys
    ? keysVerdict(contents.records, keys)
    : keysVerdict(contents.records, {
        secretBox: new AesGcmSecretBox(Buffer.alloc(32)),
        apiKeyPepper: Buffer.alloc(32),
      });
  const problems: string[] = [];
  if (verdict.encryptionKey === 'differs') {
    problems.push(
      "its secrets (signing keys, provider and cluster credentials) are sealed under another encryption key than this Paddock's",
    );
  }
  if (verdict.apiKeyPepper === 'differs') {
    problems.push('its API keys are hashed under another API-key pepper');
  }
  if (problems.length === 0) return;
  throw refused(
    `${problems.join(', and ')}. ${
      contents.header.keys !== undefined
        ? 'The backup carries its keys: restore it with --keys.'
        : 'Restore it with the keys it was made with (PADDOCK_ENCRYPTION_KEY, PADDOCK_API_KEY_PEPPER), or make backups with --keys.'
    }`,
  );
}

/**
 * Puts restored keys where this Paddock reads them: the data directory's key files, for each
 * key that is not configured (a configured one was checked to be equal). Returns what to say.
 */
export async function installRestoredKeys(
  config: PaddockConfig,
  keys: BackupKeyBundle,
): Promise<string[]> {
  const files = keyFilesOf(config.dataDir);
  const said: string[] = [];
  const install = async (path: string, key: Buffer) => {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = `${path}.restore-${process.pid}`;
    await writeFile(temp, `${key.toString('base64')}\n`, { mode: 0o600 });
    await rename(temp, path);
    said.push(`restored the key in ${path}`);
  };
  if (config.encryptionKey === undefined) await install(files.encryptionKey, keys.encryptionKey);
  if (config.apiKeyPepper === undefined) await install(files.apiKeyPepper, keys.apiKeyPepper);
  if (keys.previousEncryptionKeys.length > 0) {
    said.push(
      `the backup also holds ${keys.previousEncryptionKeys.length} older encryption key(s) of an unfinished rotation: run \`paddock reencrypt\` on the Paddock it came from first`,
    );
  }
  if (config.redisUrl !== undefined && said.length > 0) {
    said.push(
      'replicas sharing this Redis need the same keys in PADDOCK_ENCRYPTION_KEY and PADDOCK_API_KEY_PEPPER',
    );
  }
  return said;
}

function refused(message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${message}; nothing was restored`, {
    reason: 'backup_keys_differ',
  });
}
