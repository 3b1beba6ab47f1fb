/**
 * Re-reads users' groups from their provider in the background once they are older than the
 * provider's maximum age. A provider that says the user is gone (or no longer admitted by the
 * access mode) gets the user disabled, which stops every session and key of theirs at once.
 */
import type { Principal } from '../domain/principal.js';
import type { RedirectGroupRefresh } from '../domain/redirect-provider.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import { isAccessAllowed, type MembershipCheck } from './access-policy.js';
import {
  type GroupRefreshLeaseRecord,
  groupRefreshLeasesCollection,
  type UserRecord,
} from './collections.js';
import { isRedirectEntry, type ProviderDispatcher } from './provider-dispatcher.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import { PROVIDER_DISABLE_REASONS } from './user-linking.js';
import type { UserRepository } from './user-repository.js';

export interface GroupRefresherDeps {
  readonly store: Store;
  readonly users: UserRepository;
  readonly providers: ProviderDispatcher;
  readonly hasAnyMembership: MembershipCheck;
  readonly runtime?: IdentityRuntime;
  /** A provider that could not be asked (directory down): the old groups stay meanwhile. */
  readonly onError?: (err: unknown, user: UserRecord) => void;
}

export type RefreshOutcome = 'refreshed' | 'revoked' | 'skipped' | 'failed';

export interface RefreshSummary {
  readonly refreshed: number;
  readonly revoked: number;
  readonly failed: number;
}

const DEFAULT_MAX_AGE_SECONDS = 3600;
const LEASE_SECONDS = 120;

/** The principal a provider knows the user by (`openldap_user://…`, `local://…`). */
export function providerUserPrincipal(user: UserRecord): Principal | undefined {
  const prefix = user.provider === 'local' ? 'local://' : `${user.provider}_user://`;
  const id = user.principalIds.find((p) => p.startsWith(prefix));
  if (id === undefined) return undefined;
  return {
    id,
    provider: user.provider,
    kind: 'user',
    name: user.username,
    displayName: user.displayName,
  };
}

/**
 * Disabled for a reason a login does not lift (an administrator's decision): a refresh that
 * raced with it must not turn it into a provider reason that the next login would lift.
 */
function disabledByAdmin(user: UserRecord): boolean {
  return !user.enabled && !PROVIDER_DISABLE_REASONS.includes(user.disabledReason ?? '');
}

export class GroupRefresher {
  private readonly deps: GroupRefresherDeps;
  private readonly runtime: IdentityRuntime;
  private readonly leases: Collection<GroupRefreshLeaseRecord>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RefreshSummary> | undefined;

  constructor(deps: GroupRefresherDeps) {
    this.deps = deps;
    this.runtime = deps.runtime ?? systemRuntime;
    this.leases = deps.store.collection(groupRefreshLeasesCollection);
  }

  /** Refreshes every user whose groups are older than their provider's maximum age. */
  runOnce(): Promise<RefreshSummary> {
    this.running ??= this.refreshStale().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs `runOnce` every `intervalMs` until `stop()`; the timer does not hold the process. */
  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.runOnce().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Asks the user's provider now, regardless of age (e.g. an admin's "refresh groups"). */
  async refreshUser(user: UserRecord): Promise<RefreshOutcome> {
    const entry = this.deps.providers.any(user.provider);
    const principal = providerUserPrincipal(user);
    if (!entry || !principal) return 'skipped';
    let result: RedirectGroupRefresh;
    try {
      result = isRedirectEntry(entry)
        ? await entry.provider.refreshGroups(principal, user.refreshMaterial)
        : await entry.provider.refreshGroups(principal);
    } catch (err) {
      this.deps.onError?.(err, user);
      return 'failed';
    }
    const now = this.runtime.now();
    if (result.status === 'revoked') {
      await this.deps.users.mutate(user.id, (u) =>
        disabledByAdmin(u)
          ? { ...u, groupsRefreshedAt: now }
          : { ...u, enabled: false, disabledReason: 'provider_revoked', groupsRefreshedAt: now },
      );
      return 'revoked';
    }
    const principalIds = [user.id, ...user.principalIds, ...result.groups.map((g) => g.id)];
    const admitted = await isAccessAllowed(entry.access, principalIds, this.deps.hasAnyMembership);
    await this.deps.users.mutate(user.id, (u) => {
      const refreshed = {
        ...u,
        groups: [...result.groups],
        groupsRefreshedAt: now,
        // An OIDC provider may rotate its refresh token; the new one replaces the old.
        ...(result.refreshMaterial === undefined
          ? {}
          : { refreshMaterial: result.refreshMaterial }),
      };
      if (!admitted && !disabledByAdmin(u)) {
        return { ...refreshed, enabled: false, disabledReason: 'access_revoked' };
      }
      return refreshed;
    });
    return admitted ? 'refreshed' : 'revoked';
  }

  private async refreshStale(): Promise<RefreshSummary> {
    let refreshed = 0;
    let revoked = 0;
    let failed = 0;
    for (const user of await this.deps.users.list()) {
      if (!this.isStale(user) || !(await this.takeLease(user.id))) continue;
      try {
        const outcome = await this.refreshUser(user);
        if (outcome === 'refreshed') refreshed++;
        else if (outcome === 'revoked') revoked++;
        else if (outcome === 'failed') failed++;
      } catch (err) {
        failed++;
        this.deps.onError?.(err, user);
      } finally {
        await this.leases.delete(user.id).catch(() => false);
      }
    }
    return { refreshed, revoked, failed };
  }

  private isStale(user: UserRecord): boolean {
    // Disabled users have no working credential to refresh; a provider-side revocation is
    // lifted by the user's next successful login instead.
    if (!user.enabled) return false;
    const entry = this.deps.providers.any(user.provider);
    if (!entry) return false;
    const maxAgeMs = (entry.groupRefreshMaxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
    return this.runtime.now() - (user.groupsRefreshedAt ?? 0) >= maxAgeMs;
  }

  private async takeLease(userId: string): Promise<boolean> {
    try {
      await this.leases.create(
        userId,
        { userId, takenAt: this.runtime.now() },
        { ttlSeconds: LEASE_SECONDS },
      );
      return true;
    } catch (err) {
      if (hasErrorCode(err, 'CONFLICT')) return false; // another replica is on it
      throw err;
    }
  }
}
