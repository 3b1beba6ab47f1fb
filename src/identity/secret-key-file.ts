/**
 * Keeps a generated 32-byte key in the data directory (mode 0600) when none is configured:
 * the encryption key of the SecretBox and the API-key pepper both live this way.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PaddockError } from '../errors/index.js';
import type { RandomBytes } from './runtime.js';
import { parseEncryptionKey } from './secret-box.js';

export interface KeyFileOptions {
  readonly randomBytes?: RandomBytes;
}

/**
 * Reads the key at `path`, or creates it with fresh random bytes. Refuses a file that group or
 * others may read, since anyone who reads it can decrypt every stored secret.
 */
export async function loadOrCreateKeyFile(
  path: string,
  options: KeyFileOptions = {},
): Promise<Buffer> {
  const random = options.randomBytes ?? ((n: number) => nodeRandomBytes(n));
  try {
    return await readKeyFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    // 'wx': a concurrent starter that wins the race keeps its key; we then read it.
    await writeFile(path, `${random(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readKeyFile(path);
}

async function readKeyFile(path: string): Promise<Buffer> {
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    throw new PaddockError(
      'CONFIG_INVALID',
      `key file ${path} is readable by others; run chmod 600 on it`,
      {
        reason: 'key_file_permissions',
      },
    );
  }
  return parseEncryptionKey(await readFile(path, 'utf8'));
}
