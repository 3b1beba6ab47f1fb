/**
 * The ES256 keys that sign session JWTs, shared by every replica through the store. The newest
 * key signs; older keys keep verifying until their records expire (one session lifetime after
 * they were retired), so a rotation never signs anybody out.
 */
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SecretBox } from '../domain/secret-box.js';
import type { Collection, Store } from '../domain/store.js';
import { PaddockError } from '../errors/index.js';
import { type SigningKeyRecord, signingKeysCollection } from './collections.js';
import { type IdentityRuntime, randomLowerAlnum, systemRuntime } from './runtime.js';

export const SESSION_ALGORITHM = 'ES256';

export interface SigningKeyRingOptions {
  /** A new key is made when the newest one is older than this. Default 30 days. */
  readonly rotateAfterSeconds?: number;
  /** How long a retired key keeps verifying: at least the longest session. */
  readonly retainSeconds: number;
  readonly runtime?: IdentityRuntime;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

interface LoadedKey {
  readonly record: SigningKeyRecord;
  readonly publicKey: CryptoKey;
}

const RELOAD_MIN_INTERVAL_MS = 1000;

function newest(a: SigningKeyRecord, b: SigningKeyRecord): SigningKeyRecord {
  // Two replicas rotating at once make two keys; every replica must pick the same one.
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? a : b;
  return a.kid > b.kid ? a : b;
}

export class SigningKeyRing {
  private readonly keys: Collection<SigningKeyRecord>;
  private readonly box: SecretBox;
  private readonly runtime: IdentityRuntime;
  private readonly rotateAfterMs: number;
  private readonly retainSeconds: number;
  private loaded = new Map<string, LoadedKey>();
  private signing: { kid: string; key: Promise<CryptoKey> } | undefined;
  private lastReload = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private rotating: Promise<string> | undefined;

  constructor(store: Store, box: SecretBox, options: SigningKeyRingOptions) {
    this.keys = store.collection(signingKeysCollection);
    this.box = box;
    this.runtime = options.runtime ?? systemRuntime;
    this.rotateAfterMs = (options.rotateAfterSeconds ?? 30 * 24 * 3600) * 1000;
    this.retainSeconds = options.retainSeconds;
  }

  /** Loads the keys, makes the first one on an empty store, and follows other replicas. */
  async start(): Promise<void> {
    this.unsubscribe ??= this.keys.watch(() => {
      this.lastReload = Number.NEGATIVE_INFINITY;
      void this.reload().catch(() => undefined);
    });
    await this.reload();
    if (!this.active()) await this.rotate();
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The key to sign with now; rotates first when the newest key is due. */
  async signingKey(): Promise<SigningKey> {
    let active = this.active();
    if (!active || this.runtime.now() - active.createdAt >= this.rotateAfterMs) {
      // Single flight: a burst of logins at rotation time makes one new key, not one each.
      this.rotating ??= this.rotate().finally(() => {
        this.rotating = undefined;
      });
      await this.rotating;
      active = this.active();
    }
    if (!active) throw new PaddockError('INTERNAL', 'no session signing key');
    if (this.signing?.kid !== active.kid) {
      const record = active;
      this.signing = {
        kid: record.kid,
        key: Promise.resolve().then(async () => {
          const jwk = JSON.parse(
            this.box.open(record.privateJwkSealed, `signing-key:${record.kid}`),
          ) as JWK;
          return (await importJWK(jwk, SESSION_ALGORITHM)) as CryptoKey;
        }),
      };
    }
    return { kid: active.kid, privateKey: await this.signing.key };
  }

  /** The public key for `kid`, looking in the store once more for a key made elsewhere. */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    const known = this.loaded.get(kid);
    if (known) return known.publicKey;
    if (this.runtime.now() - this.lastReload >= RELOAD_MIN_INTERVAL_MS) await this.reload();
    return this.loaded.get(kid)?.publicKey;
  }

  /** Makes a new signing key and retires the current one (it keeps verifying). */
  async rotate(): Promise<string> {
    const now = this.runtime.now();
    const kid = `k-${randomLowerAlnum(this.runtime.randomBytes, 12)}`;
    const { publicKey, privateKey } = await generateKeyPair(SESSION_ALGORITHM, {
      extractable: true,
    });
    const record: SigningKeyRecord = {
      kid,
      alg: SESSION_ALGORITHM,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: SESSION_ALGORITHM, use: 'sig' },
      privateJwkSealed: this.box.seal(
        JSON.stringify(await exportJWK(privateKey)),
        `signing-key:${kid}`,
      ),
      createdAt: now,
    };
    await this.keys.create(kid, record);
    for (const stored of await this.keys.list()) {
      if (stored.id === kid || stored.value.retiredAt !== undefined) continue;
      try {
        await this.keys.update(
          stored.id,
          { ...stored.value, retiredAt: now },
          { resourceVersion: stored.resourceVersion, ttlSeconds: this.retainSeconds },
        );
      } catch {
        // Another replica retired it first.
      }
    }
    await this.reload();
    return kid;
  }

  /** Public keys as a JWKS, e.g. for a `/.well-known/jwks.json` endpoint. */
  publicJwks(): { keys: Record<string, unknown>[] } {
    return { keys: [...this.loaded.values()].map((k) => k.record.publicJwk) };
  }

  private active(): SigningKeyRecord | undefined {
    let best: SigningKeyRecord | undefined;
    for (const { record } of this.loaded.values()) {
      if (record.retiredAt !== undefined) continue;
      best = best ? newest(best, record) : record;
    }
    return best;
  }

  /** Reloads serially: a load asked for after a change always starts after that change. */
  private reload(): Promise<void> {
    const run = this.queue.then(() => this.load());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<void> {
    this.lastReload = this.runtime.now();
    const next = new Map<string, LoadedKey>();
    for (const { value } of await this.keys.list()) {
      const previous = this.loaded.get(value.kid);
      const publicKey =
        previous?.publicKey ??
        ((await importJWK(value.publicJwk as JWK, SESSION_ALGORITHM)) as CryptoKey);
      next.set(value.kid, { record: value, publicKey });
    }
    this.loaded = next;
  }
}
