/**
 * Proof that this replica holds the same keys as the others sharing its store: a value sealed
 * under the encryption key and a keyed hash under the API-key pepper, written by the first
 * replica. A replica that cannot open the one, or computes a different other, would answer
 * every login with a 500 or every API key with a 401; instead it says it is not ready, and why.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../domain/secret-box.js';
import type { CollectionSpec, Store } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import { signingKeysCollection } from './collections.js';
import type { ResealFn } from './reseal.js';

export interface KeyCanaryRecord {
  readonly value: string;
  readonly writtenAt: number;
}

export const keyCanariesCollection: CollectionSpec<KeyCanaryRecord> = { name: 'key-canaries' };

const SEALED_ID = 'encryption-key';
const PEPPER_ID = 'api-key-pepper';
const CANARY_TEXT = 'paddock key canary';
const PLACE = 'key-canary';

export interface KeyCanariesOptions {
  readonly secretBox: SecretBox;
  readonly apiKeyPepper: Buffer;
  readonly now?: () => number;
}

export class KeyCanaries {
  readonly #store: Store;
  readonly #o: KeyCanariesOptions;

  constructor(store: Store, options: KeyCanariesOptions) {
    this.#store = store;
    this.#o = options;
  }

  get #canaries() {
    return this.#store.collection(keyCanariesCollection);
  }

  /**
   * Writes the canaries a store lacks. A store with sealed values but no canary (written by a
   * release without them) gets one only from a replica whose key opens those values, so a
   * misconfigured replica that happens to start first cannot mark the right ones unready.
   */
  async ensure(): Promise<void> {
    const now = (this.#o.now ?? Date.now)();
    if ((await this.#canaries.get(SEALED_ID)) === undefined && (await this.#opensSigningKeys())) {
      await this.#create(SEALED_ID, {
        value: this.#o.secretBox.seal(CANARY_TEXT, PLACE),
        writtenAt: now,
      });
    }
    if ((await this.#canaries.get(PEPPER_ID)) === undefined) {
      await this.#create(PEPPER_ID, { value: this.#pepperHash(), writtenAt: now });
    }
  }

  /** Fails with the reason when this replica's encryption key cannot open the store's values. */
  async checkEncryptionKey(): Promise<void> {
    const canary = await this.#canaries.get(SEALED_ID);
    if (canary === undefined) {
      if (await this.#opensSigningKeys()) return;
      throw notReady(
        'PADDOCK_ENCRYPTION_KEY cannot open the secrets sealed in the store (its signing keys); ' +
          'every replica sharing the store needs the same key',
      );
    }
    let opened: string | undefined;
    try {
      opened = this.#o.secretBox.open(canary.value.value, PLACE);
    } catch {
      opened = undefined;
    }
    if (opened !== CANARY_TEXT) {
      throw notReady(
        'PADDOCK_ENCRYPTION_KEY cannot open the values sealed in the store by the other ' +
          'replicas; every replica sharing the store needs the same key (and, during a rotation, ' +
          'the old one in PADDOCK_PREVIOUS_ENCRYPTION_KEYS)',
      );
    }
  }

  /** Fails with the reason when this replica's pepper differs from the one the store knows. */
  async checkApiKeyPepper(): Promise<void> {
    const canary = await this.#canaries.get(PEPPER_ID);
    if (canary === undefined) return;
    const mine = Buffer.from(this.#pepperHash(), 'hex');
    const theirs = Buffer.from(canary.value.value, 'hex');
    if (mine.length !== theirs.length || !timingSafeEqual(mine, theirs)) {
      throw notReady(
        "PADDOCK_API_KEY_PEPPER differs from the other replicas' (API keys would not verify " +
          'here); every replica sharing the store needs the same pepper',
      );
    }
  }

  /** Re-seals the encryption canary under the current key (part of `paddock reencrypt`). */
  async reseal(reseal: ResealFn): Promise<number> {
    const canary = await this.#canaries.get(SEALED_ID);
    if (canary === undefined) return 0;
    const value = reseal(canary.value.value, PLACE);
    if (value === canary.value.value) return 0;
    await this.#canaries.update(
      SEALED_ID,
      { ...canary.value, value },
      { resourceVersion: canary.resourceVersion },
    );
    return 1;
  }

  async #opensSigningKeys(): Promise<boolean> {
    const keys = await this.#store.collection(signingKeysCollection).list({ limit: 5 });
    if (keys.length === 0) return true;
    return keys.some((k) => {
      try {
        this.#o.secretBox.open(k.value.privateJwkSealed, `signing-key:${k.value.kid}`);
        return true;
      } catch {
        return false;
      }
    });
  }

  #pepperHash(): string {
    return createHmac('sha256', this.#o.apiKeyPepper).update(CANARY_TEXT).digest('hex');
  }

  async #create(id: string, value: KeyCanaryRecord): Promise<void> {
    try {
      await this.#canaries.create(id, value);
    } catch (err) {
      // Another replica wrote it first: its canary is checked like anyone's.
      if (!hasErrorCode(err, 'CONFLICT')) throw err;
    }
  }
}

/** Whether some keys fit a set of records (a backup's): `unknown` when nothing tells. */
export interface KeysVerdict {
  readonly encryptionKey: 'fits' | 'differs' | 'unknown';
  readonly apiKeyPepper: 'fits' | 'differs' | 'unknown';
}

/**
 * Checks keys against records (a backup's), by their canaries, or for a backup made before
 * canaries existed, by its sealed signing keys. Nothing is written anywhere.
 */
export function keysVerdict(
  records: readonly { collection: string; id: string; value: unknown }[],
  keys: { secretBox: SecretBox; apiKeyPepper: Buffer },
): KeysVerdict {
  const find = (collection: string, id: string) =>
    records.find((r) => r.collection === collection && r.id === id)?.value as
      | KeyCanaryRecord
      | undefined;
  const opens = (sealed: string, place: string, expected?: string) => {
    try {
      const text = keys.secretBox.open(sealed, place);
      return expected === undefined || text === expected;
    } catch {
      return false;
    }
  };
  const sealed = find(keyCanariesCollection.name, SEALED_ID);
  const signingKeys = records
    .filter((r) => r.collection === signingKeysCollection.name)
    .map((r) => r.value as { kid: string; privateJwkSealed: string });
  const encryptionKey =
    sealed !== undefined
      ? opens(sealed.value, PLACE, CANARY_TEXT)
        ? 'fits'
        : 'differs'
      : signingKeys.length === 0
        ? 'unknown'
        : signingKeys.some((k) => opens(k.privateJwkSealed, `signing-key:${k.kid}`))
          ? 'fits'
          : 'differs';
  const pepper = find(keyCanariesCollection.name, PEPPER_ID);
  const apiKeyPepper =
    pepper === undefined
      ? 'unknown'
      : pepper.value === createHmac('sha256', keys.apiKeyPepper).update(CANARY_TEXT).digest('hex')
        ? 'fits'
        : 'differs';
  return { encryptionKey, apiKeyPepper };
}

function notReady(message: string): PaddockError {
  return new PaddockError('CONFIG_INVALID', message, { reason: 'keys_differ' });
}
