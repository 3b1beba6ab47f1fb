/**
 * Identities of recently verified credentials, so a busy client costs no store round trip per
 * request. Bounded (LRU), short-lived, and emptied per user or per token by the change feed; a
 * verification that raced with an invalidation is not cached (generation check).
 */
import type { Identity } from '../domain/identity.js';
import type { Clock } from './runtime.js';

export interface CachedIdentity {
  readonly identity: Identity;
  /** Epoch ms after which the entry is ignored. */
  readonly validUntil: number;
  /** Runs on every hit (e.g. throttled last-used bookkeeping). */
  readonly onHit?: () => void;
  /**
   * Other credentials this one depends on (the key a derived key was minted with): evicting
   * any of them evicts this entry too.
   */
  readonly dependsOn?: readonly string[];
}

export interface TokenCacheOptions {
  readonly maxEntries?: number;
  readonly maxAgeMs?: number;
  readonly now: Clock;
}

export class TokenCache {
  readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly now: Clock;
  private readonly entries = new Map<string, CachedIdentity>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly byToken = new Map<string, Set<string>>();
  private currentGeneration = 0;
  /** While the store's change feed is down, nothing is served or kept. */
  private suspended = false;

  constructor(options: TokenCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.now = options.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Changes whenever something is evicted; pass it back to `set`. */
  get generation(): number {
    return this.currentGeneration;
  }

  /**
   * Empties the cache and stops using it (`true`) or starts using it again (`false`): while
   * the change feed that evicts entries is down, a cached identity could be one revoked
   * meanwhile on another replica.
   */
  suspend(suspended: boolean): void {
    this.suspended = suspended;
    this.clear();
  }

  get(key: string): CachedIdentity | undefined {
    if (this.suspended) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.validUntil <= this.now()) {
      this.remove(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores an entry unless something was evicted since `generation` was read. */
  set(
    key: string,
    entry: Omit<CachedIdentity, 'validUntil'> & { validUntil?: number },
    generation: number,
  ): boolean {
    if (generation !== this.currentGeneration || this.maxEntries <= 0 || this.suspended) {
      return false;
    }
    const cap = this.now() + this.maxAgeMs;
    const validUntil = Math.min(entry.validUntil ?? cap, cap);
    this.remove(key);
    this.entries.set(key, { ...entry, validUntil });
    link(this.byUser, entry.identity.userId, key);
    for (const tokenId of tokenIdsOf(entry)) link(this.byToken, tokenId, key);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    return true;
  }

  evictUser(userId: string): void {
    this.currentGeneration++;
    for (const key of [...(this.byUser.get(userId) ?? [])]) this.remove(key);
  }

  evictToken(tokenId: string): void {
    this.currentGeneration++;
    for (const key of [...(this.byToken.get(tokenId) ?? [])]) this.remove(key);
  }

  clear(): void {
    this.currentGeneration++;
    this.entries.clear();
    this.byUser.clear();
    this.byToken.clear();
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    unlink(this.byUser, entry.identity.userId, key);
    for (const tokenId of tokenIdsOf(entry)) unlink(this.byToken, tokenId, key);
  }
}

function tokenIdsOf(entry: Pick<CachedIdentity, 'identity' | 'dependsOn'>): readonly string[] {
  return entry.dependsOn === undefined
    ? [entry.identity.tokenId]
    : [entry.identity.tokenId, ...entry.dependsOn];
}

function link(index: Map<string, Set<string>>, id: string, key: string): void {
  let keys = index.get(id);
  if (!keys) {
    keys = new Set();
    index.set(id, keys);
  }
  keys.add(key);
}

function unlink(index: Map<string, Set<string>>, id: string, key: string): void {
  const keys = index.get(id);
  keys?.delete(key);
  if (keys?.size === 0) index.delete(id);
}
