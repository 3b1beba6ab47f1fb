/**
 * The generated CA, kept in the store (its key sealed) so that every replica sharing the store
 * issues its serving certificate from the same CA, and a kubeconfig downloaded from any replica
 * (which embeds that CA) works against all of them. The first replica to start puts its CA
 * there: the one already in its data directory (so kubeconfigs issued before keep working),
 * else a new one. A backup carries it, so a restored Paddock keeps its kubeconfigs valid.
 */
import type { Logger } from '../../domain/logger.js';
import type { SecretBox } from '../../domain/secret-box.js';
import type { CollectionSpec, Store } from '../../domain/store.js';
import { hasErrorCode } from '../../errors/index.js';
import type { PemKeyPair } from './certificate-authority.js';

export interface SharedCaRecord {
  readonly certPem: string;
  /** The CA's private key, sealed under the encryption key. */
  readonly keySealed: string;
  readonly createdAt: number;
}

export const servingCaCollection: CollectionSpec<SharedCaRecord> = { name: 'serving-ca' };

const RECORD_ID = 'ca';
const PLACE = 'serving-ca/key';

export interface SharedCaOptions {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * The CA every replica uses: the store's, else `candidate()` (this replica's own, or a new
 * one), put into the store unless another replica got there first. `undefined` when the
 * store's CA cannot be opened with this replica's encryption key (readiness says why).
 */
export async function sharedCa(
  options: SharedCaOptions,
  candidate: () => Promise<PemKeyPair>,
): Promise<PemKeyPair | undefined> {
  const records = options.store.collection(servingCaCollection);
  const existing = await records.get(RECORD_ID);
  if (existing !== undefined) return open(options, existing.value);
  const mine = await candidate();
  try {
    await records.create(RECORD_ID, {
      certPem: mine.certPem,
      keySealed: options.secretBox.seal(mine.keyPem, PLACE),
      createdAt: (options.now ?? Date.now)(),
    });
    options.logger?.info('serving CA shared through the store');
    return mine;
  } catch (err) {
    if (!hasErrorCode(err, 'CONFLICT')) throw err;
    const winner = await records.get(RECORD_ID);
    return winner === undefined ? mine : open(options, winner.value);
  }
}

/** Re-seals the CA key under the current encryption key (part of `paddock reencrypt`). */
export async function resealSharedCa(
  store: Store,
  reseal: (sealed: string, place: string) => string,
): Promise<number> {
  const records = store.collection(servingCaCollection);
  const current = await records.get(RECORD_ID);
  if (current === undefined) return 0;
  const keySealed = reseal(current.value.keySealed, PLACE);
  if (keySealed === current.value.keySealed) return 0;
  await records.update(
    RECORD_ID,
    { ...current.value, keySealed },
    { resourceVersion: current.resourceVersion },
  );
  return 1;
}

function open(options: SharedCaOptions, record: SharedCaRecord): PemKeyPair | undefined {
  try {
    return { certPem: record.certPem, keyPem: options.secretBox.open(record.keySealed, PLACE) };
  } catch {
    options.logger?.error(
      'the serving CA in the store cannot be opened with PADDOCK_ENCRYPTION_KEY; using this ' +
        "replica's own CA, whose kubeconfigs the other replicas will not accept",
    );
    return undefined;
  }
}
