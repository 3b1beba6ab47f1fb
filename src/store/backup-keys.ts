/**
 * The keys a backup may carry (`paddock backup --keys`): the encryption key (and older ones
 * still in use), under which the store's secrets are sealed, and the API-key pepper, without
 * which no stored API key verifies. They travel encrypted under a passphrase: scrypt derives
 * an AES-256-GCM key, whose tag also proves the passphrase right.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { PaddockError } from '../errors/index.js';

export interface BackupKeyBundle {
  readonly encryptionKey: Buffer;
  readonly previousEncryptionKeys: readonly Buffer[];
  readonly apiKeyPepper: Buffer;
}

/** What the backup's header holds. */
export interface SealedBackupKeys {
  readonly cipher: 'aes-256-gcm';
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

export const MIN_PASSPHRASE_LENGTH = 12;
// 64 MiB of memory and about a tenth of a second per attempt: guessing is slow.
const KDF = { N: 65_536, r: 8, p: 1 } as const;
const AAD = Buffer.from('paddock-backup-keys/v1');

export async function sealBackupKeys(
  bundle: BackupKeyBundle,
  passphrase: string,
): Promise<SealedBackupKeys> {
  checkPassphrase(passphrase);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await derive(passphrase, salt, KDF);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const plain = Buffer.from(
    JSON.stringify({
      encryptionKey: bundle.encryptionKey.toString('base64'),
      previousEncryptionKeys: bundle.previousEncryptionKeys.map((k) => k.toString('base64')),
      apiKeyPepper: bundle.apiKeyPepper.toString('base64'),
    }),
  );
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    cipher: 'aes-256-gcm',
    kdf: 'scrypt',
    ...KDF,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Opens the keys; a wrong passphrase (or altered keys) is VALIDATION_FAILED. */
export async function openBackupKeys(
  sealed: SealedBackupKeys,
  passphrase: string,
): Promise<BackupKeyBundle> {
  if (sealed.cipher !== 'aes-256-gcm' || sealed.kdf !== 'scrypt') {
    throw invalid(`unsupported key protection ${sealed.cipher}/${sealed.kdf}`);
  }
  const key = await derive(passphrase, Buffer.from(sealed.salt, 'base64'), sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]);
    const parsed = JSON.parse(plain.toString('utf8')) as {
      encryptionKey: string;
      previousEncryptionKeys: string[];
      apiKeyPepper: string;
    };
    return {
      encryptionKey: Buffer.from(parsed.encryptionKey, 'base64'),
      previousEncryptionKeys: parsed.previousEncryptionKeys.map((k) => Buffer.from(k, 'base64')),
      apiKeyPepper: Buffer.from(parsed.apiKeyPepper, 'base64'),
    };
  } catch {
    throw invalid('the passphrase does not open the keys in this backup');
  }
}

export function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw invalid(`the backup passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
}

function derive(
  passphrase: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  if (params.N > 1_048_576 || params.r > 16 || params.p > 4) {
    // A crafted header must not make restore spend gigabytes.
    return Promise.reject(invalid('the key protection parameters are out of range'));
  }
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase,
      salt,
      32,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

function invalid(message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', message, { reason: 'backup_keys' });
}
