/**
 * Re-encryption after a key rotation: walks a collection and rewrites every sealed field under
 * the SecretBox's current key. Used by the `paddock` command that rotates the encryption key.
 */
import type { SecretBox } from '../domain/secret-box.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import { AuthConfigStore } from './auth-configs.js';
import { signingKeysCollection, usersCollection } from './collections.js';
import { providerUserPrincipal } from './group-refresher.js';

/** Re-seals one value: opens with whichever key made it, seals with the current key. */
export type ResealFn = (sealed: string, associatedData?: string) => string;

/**
 * For each record, `rewrite(value, reseal)` returns the value with its sealed fields passed
 * through `reseal`, or `undefined` when the record holds no secret. Returns records rewritten.
 */
export async function resealCollection<T>(
  collection: Collection<T>,
  reseal: ResealFn,
  rewrite: (value: T, reseal: ResealFn) => T | undefined,
  now: () => number = Date.now,
): Promise<number> {
  let rewritten = 0;
  for (const record of await collection.list()) {
    let current = record;
    for (let attempt = 1; ; attempt++) {
      const next = rewrite(current.value, reseal);
      if (next === undefined || JSON.stringify(next) === JSON.stringify(current.value)) break;
      try {
        await collection.update(current.id, next, {
          resourceVersion: current.resourceVersion,
          ...(current.expiresAt === undefined
            ? {}
            : { ttlSeconds: Math.max(1, Math.ceil((current.expiresAt - now()) / 1000)) }),
        });
        rewritten++;
        break;
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
        const fresh = await collection.get(current.id);
        if (!fresh) break;
        current = fresh;
      }
    }
  }
  return rewritten;
}

/** Opens with any key the box holds and seals under its current key (skips current ones). */
export function resealWith(box: SecretBox): ResealFn {
  return (sealed, associatedData) =>
    box.needsReseal(sealed) ? box.seal(box.open(sealed, associatedData), associatedData) : sealed;
}

/**
 * Re-seals every secret identity keeps (signing keys, provider configs) under the box's
 * current key. Part of the key-rotation command; returns the records rewritten.
 */
export async function resealIdentitySecrets(
  store: Store,
  box: SecretBox,
  now: () => number = Date.now,
): Promise<number> {
  const reseal = resealWith(box);
  const keys = await resealCollection(
    store.collection(signingKeysCollection),
    reseal,
    (key, r) => ({ ...key, privateJwkSealed: r(key.privateJwkSealed, `signing-key:${key.kid}`) }),
    now,
  );
  const configs = await new AuthConfigStore(store, box).reseal(reseal);
  // GitHub access tokens and OIDC refresh tokens kept for background group refreshes.
  const users = await resealCollection(
    store.collection(usersCollection),
    reseal,
    (user, r) => {
      const principal = providerUserPrincipal(user);
      if (user.refreshMaterial === undefined || principal === undefined) return undefined;
      const place = `redirect-login:${user.provider}:${principal.id}`;
      return { ...user, refreshMaterial: r(user.refreshMaterial, place) };
    },
    now,
  );
  return keys + configs + users;
}
