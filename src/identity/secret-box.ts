/**
 * AES-256-GCM implementation of the SecretBox port. A sealed value names the key it was made
 * with, so a box holding the new key plus the old ones can open everything during a rotation.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '../domain/secret-box.js';
import { PaddockError } from '../errors/index.js';
import type { RandomBytes } from './runtime.js';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A short public fingerprint of a key, stored with every sealed value. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update('paddock-secret-box\0').update(key).digest('hex').slice(0, 16);
}

export interface AesGcmSecretBoxOptions {
  /** Keys that can still open old values (older keys during a rotation). */
  readonly previousKeys?: readonly Buffer[];
  readonly randomBytes?: RandomBytes;
}

export class AesGcmSecretBox implements SecretBox {
  readonly keyId: string;
  private readonly current: Buffer;
  private readonly keys = new Map<string, Buffer>();
  private readonly randomBytes: RandomBytes;

  constructor(currentKey: Buffer, options: AesGcmSecretBoxOptions = {}) {
    for (const key of [currentKey, ...(options.previousKeys ?? [])]) {
      if (key.length !== KEY_BYTES) {
        throw new PaddockError('CONFIG_INVALID', 'encryption key must be 32 bytes', {
          reason: 'bad_encryption_key',
        });
      }
      this.keys.set(secretKeyId(key), Buffer.from(key));
    }
    this.current = Buffer.from(currentKey);
    this.keyId = secretKeyId(currentKey);
    this.randomBytes = options.randomBytes ?? ((n) => randomBytes(n));
  }

  seal(plaintext: string, associatedData = ''): string {
    const iv = this.randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(aadFor(this.keyId, associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.keyId,
      iv.toString('base64url'),
      body.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  open(sealed: string, associatedData = ''): string {
    const parts = sealed.split('.');
    const [version, keyId, ivText, bodyText, tagText] = parts;
    if (
      parts.length !== 5 ||
      version !== VERSION ||
      !keyId ||
      ivText === undefined ||
      bodyText === undefined ||
      tagText === undefined
    ) {
      throw openFailure('malformed sealed value');
    }
    const key = this.keys.get(keyId);
    if (!key) throw openFailure(`sealed under unknown key ${keyId}`);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw openFailure('malformed sealed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadFor(keyId, associatedData));
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(Buffer.from(bodyText, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch (err) {
      throw openFailure('sealed value failed authentication', err);
    }
  }

  needsReseal(sealed: string): boolean {
    return sealed.split('.')[1] !== this.keyId;
  }

  /** Opens with whichever key sealed it and seals again under the current key. */
  reseal(sealed: string, associatedData = ''): string {
    return this.needsReseal(sealed)
      ? this.seal(this.open(sealed, associatedData), associatedData)
      : sealed;
  }
}

function aadFor(keyId: string, associatedData: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${associatedData}`, 'utf8');
}

function openFailure(message: string, cause?: unknown): PaddockError {
  // INTERNAL: a value we sealed ourselves does not open, so the key or the store is wrong.
  return new PaddockError('INTERNAL', `cannot open secret: ${message}`, {
    reason: 'secret_unreadable',
    cause,
  });
}

/** Parses `PADDOCK_ENCRYPTION_KEY`: 32 bytes as 64 hex digits or as base64/base64url. */
export function parseEncryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new PaddockError(
    'CONFIG_INVALID',
    'encryption key must be 32 bytes, as 64 hex digits or base64',
    {
      reason: 'bad_encryption_key',
    },
  );
}
