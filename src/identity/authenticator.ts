/**
 * The one `authenticate(request)` every entry point calls. Verified credentials are cached in
 * process; the store's change feed (revocations, users, keys, session records) evicts them,
 * so a logout, a disabled user or a lost group reaches every replica within a change delivery.
 * Every call, cached or not, also asks whether the user's provider still admits the user
 * (provider switched off, access mode or allowed principals changed, membership lost).
 */
import { hash } from 'node:crypto';
import type { Authenticator, AuthRequest, Identity } from '../domain/identity.js';
import type { Store, Unsubscribe } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import { isAccessAllowed, type MembershipCheck } from './access-policy.js';
import type { ApiKeyService } from './api-keys.js';
import { unauthenticated } from './auth-errors.js';
import type { ApiKeyRecord, UserRecord } from './collections.js';
import { revokedTokensCollection, sessionsCollection, usersCollection } from './collections.js';
import {
  CredentialFailureLimiter,
  type CredentialFailureLimitOptions,
  isGuessFailure,
} from './credential-failure-limiter.js';
import { type Credential, extractCredential } from './credentials.js';
import type { ProviderDispatcher } from './provider-dispatcher.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import type { SessionService } from './session-service.js';
import type { SessionClaims } from './session-tokens.js';
import { TokenCache } from './token-cache.js';
import type { UserRepository } from './user-repository.js';

export interface TokenAuthenticatorDeps {
  readonly store: Store;
  readonly users: UserRepository;
  readonly sessions: SessionService;
  readonly apiKeys: ApiKeyService;
  /**
   * The providers and their access modes: with it, a credential stops working as soon as its
   * user's provider is switched off or no longer admits the user, as a login would be refused.
   */
  readonly access?: {
    readonly providers: ProviderDispatcher;
    readonly hasAnyMembership: MembershipCheck;
  };
}

export interface TokenAuthenticatorOptions {
  /** Most identities kept; default 10 000. 0 turns the cache off. */
  readonly cacheMaxEntries?: number;
  /** Longest time an identity is served from memory; default 30 s. */
  readonly cacheMaxAgeMs?: number;
  readonly runtime?: IdentityRuntime;
  /**
   * Per-address limit on credentials that fail as guessed or forged (429 past it); `false`
   * turns it off. See `credential-failure-limiter.ts`.
   */
  readonly failureLimit?: CredentialFailureLimitOptions | false;
  /** Failures of background bookkeeping (last-used, idle activity); they never fail a request. */
  readonly onBackgroundError?: (err: unknown) => void;
}

export class TokenAuthenticator implements Authenticator {
  readonly cache: TokenCache;
  private readonly deps: TokenAuthenticatorDeps;
  private readonly runtime: IdentityRuntime;
  private readonly onBackgroundError: (err: unknown) => void;
  private readonly failures: CredentialFailureLimiter | undefined;
  private unsubscribes: Unsubscribe[] = [];
  /** Bumped whenever access rules change; an identity admitted under an older one is re-asked. */
  private accessGeneration = 0;
  private readonly admittedAt = new WeakMap<Identity, number>();
  private readonly accessListeners = new Set<() => void>();

  constructor(deps: TokenAuthenticatorDeps, options: TokenAuthenticatorOptions = {}) {
    this.deps = deps;
    this.runtime = options.runtime ?? systemRuntime;
    this.onBackgroundError = options.onBackgroundError ?? (() => undefined);
    this.failures =
      options.failureLimit === false
        ? undefined
        : new CredentialFailureLimiter(this.runtime.now, options.failureLimit);
    this.cache = new TokenCache({
      now: this.runtime.now,
      ...(options.cacheMaxEntries === undefined ? {} : { maxEntries: options.cacheMaxEntries }),
      ...(options.cacheMaxAgeMs === undefined ? {} : { maxAgeMs: options.cacheMaxAgeMs }),
    });
  }

  /** Follows the change feed; call before serving requests. */
  start(): void {
    if (this.unsubscribes.length > 0) return;
    const { store, apiKeys } = this.deps;
    this.unsubscribes = [
      store.collection(usersCollection).watch((e) => this.cache.evictUser(e.id)),
      store.collection(revokedTokensCollection).watch((e) => this.cache.evictToken(e.id)),
      // Last-seen writes are updates; only an ended session (record deleted) needs eviction.
      store.collection(sessionsCollection).watch((e) => {
        if (e.type === 'deleted') this.cache.evictToken(e.id);
      }),
      apiKeys.collection.watch((e) => {
        // Last-used writes are updates too; they need no eviction, anything else does.
        const onlyUsed =
          e.type === 'updated' && e.value?.enabled === true && e.value.expiresAt === undefined;
        if (!onlyUsed) this.cache.evictToken(e.id);
      }),
      ...(this.deps.access
        ? [this.deps.access.providers.onChange(() => this.accessChanged())]
        : []),
      // A replica that stopped hearing the feed (Redis pub/sub dropped) must not serve what a
      // revocation it missed would have evicted: no cache until the feed is back, then a
      // fresh start, and every open stream re-authenticated at both moments.
      ...(store.onFeedState
        ? [
            store.onFeedState((live) => {
              this.cache.suspend(!live);
              this.accessChanged();
            }),
          ]
        : []),
    ];
  }

  /**
   * Access rules changed (a provider's access mode or allowed principals, or the cluster and
   * project memberships that `restricted` counts): every identity is admitted again at its
   * next use, and listeners (open streams) are told to re-check now.
   */
  accessChanged(): void {
    this.accessGeneration++;
    for (const listener of [...this.accessListeners]) listener();
  }

  /** Called after `accessChanged`, once the new rules apply. */
  onAccessChange(listener: () => void): Unsubscribe {
    this.accessListeners.add(listener);
    return () => this.accessListeners.delete(listener);
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes = [];
    this.cache.clear();
  }

  async authenticate(request: AuthRequest): Promise<Identity> {
    try {
      return await this.identify(request);
    } catch (err) {
      if (hasErrorCode(err, 'UNAUTHENTICATED') && isGuessFailure(err.reason)) {
        this.failures?.recordFailure(request.remoteAddress);
      }
      throw err;
    }
  }

  private async identify(request: AuthRequest): Promise<Identity> {
    const credential = extractCredential(request);
    const key = cacheKey(credential);
    const cached = this.cache.get(key);
    if (cached) {
      await this.admit(cached.identity);
      cached.onHit?.();
      return cached.identity;
    }
    // Checked only for credentials not already known good, so a limited address's
    // working clients keep going while guesses are refused unverified.
    this.failures?.check(request.remoteAddress);
    const generation = this.cache.generation;
    if (credential.kind === 'session') {
      const claims = await this.deps.sessions.verify(credential.token);
      const user = await this.activeUser(claims.userId);
      if (user.sessionsValidAfter !== undefined && claims.issuedAt < user.sessionsValidAfter) {
        throw unauthenticated('token_revoked', 'session has been revoked');
      }
      const identity = identityOf(user, {
        provider: claims.provider,
        tokenId: claims.sessionId,
        tokenKind: 'session',
        expiresAt: claims.expiresAt,
        issuedAt: claims.issuedAt,
      });
      await this.admit(identity);
      const onHit = () => this.background(this.deps.sessions.touch(claims));
      onHit();
      this.cache.set(key, { identity, validUntil: claims.expiresAt, onHit }, generation);
      return identity;
    }
    const record = await this.deps.apiKeys.verify(credential);
    const user = await this.activeUser(record.userId);
    const identity = identityOf(user, {
      provider: user.provider,
      tokenId: record.keyId,
      tokenKind: record.kind,
      ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
      ...(record.clusterId === undefined ? {} : { scope: { clusterId: record.clusterId } }),
    });
    await this.admit(identity);
    this.markKeyUsed(record);
    const onHit = () => this.markKeyUsed(record);
    this.cache.set(
      key,
      {
        identity,
        onHit,
        ...(record.expiresAt === undefined ? {} : { validUntil: record.expiresAt }),
        ...(record.parentKeyId === undefined ? {} : { dependsOn: [record.parentKeyId] }),
      },
      generation,
    );
    return identity;
  }

  /** The claims of a session token, for logout; UNAUTHENTICATED if it is not a usable one. */
  async sessionClaims(token: string): Promise<SessionClaims> {
    return this.deps.sessions.verify(token);
  }

  private markKeyUsed(record: ApiKeyRecord): void {
    this.background(this.deps.apiKeys.markUsed(record));
  }

  private background(work: Promise<void>): void {
    work.catch((err: unknown) => this.onBackgroundError(err));
  }

  /**
   * Whether the identity's provider still admits the user, as a login would ask; answered once
   * per identity until the access rules change.
   */
  private async admit(identity: Identity): Promise<void> {
    const access = this.deps.access;
    if (!access) return;
    const generation = this.accessGeneration;
    if (this.admittedAt.get(identity) === generation) return;
    const entry = access.providers.any(identity.provider);
    if (!entry) {
      throw unauthenticated('provider_disabled', `login provider ${identity.provider} is off`);
    }
    // The same principals a login checks: the user id, the user's own and group principals.
    const principalIds = [identity.userId, ...identity.principalIds];
    if (!(await isAccessAllowed(entry.access, principalIds, access.hasAnyMembership))) {
      throw unauthenticated('access_revoked', 'this account is no longer allowed to use Paddock');
    }
    this.admittedAt.set(identity, generation);
  }

  private async activeUser(userId: string): Promise<UserRecord> {
    const user = await this.deps.users.get(userId);
    if (!user) throw unauthenticated('user_not_found', 'user no longer exists');
    if (!user.enabled) throw unauthenticated('user_disabled', 'user is disabled');
    return user;
  }
}

/** What the identity of a user with one credential looks like (also used at login). */
export function identityOf(
  user: UserRecord,
  token: Pick<Identity, 'provider' | 'tokenId' | 'tokenKind' | 'expiresAt' | 'scope' | 'issuedAt'>,
): Identity {
  const groupPrincipalIds = user.groups.map((g) => g.id);
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    provider: token.provider,
    principalIds: [...user.principalIds, ...groupPrincipalIds],
    groupPrincipalIds,
    tokenId: token.tokenId,
    tokenKind: token.tokenKind,
    ...(token.scope === undefined ? {} : { scope: token.scope }),
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
    ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
    ...(token.issuedAt === undefined ? {} : { issuedAt: token.issuedAt }),
  };
}

function cacheKey(credential: Credential): string {
  // Hashed so the cache holds no usable secrets; the prefix keeps the kinds apart.
  const raw =
    credential.kind === 'session'
      ? `s:${credential.token}`
      : `k:${credential.keyId}:${credential.secret}`;
  return hash('sha256', raw, 'base64url');
}
