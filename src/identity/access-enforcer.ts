/**
 * Applies a provider's new access mode or allowed principals to the users already in: those
 * no longer admitted are disabled (`access_revoked`, lifted by their next admitted login, as
 * the group refresher does) and their sessions revoked, so their keys stop and their open
 * streams close at once instead of at the next group refresh. A change that would shut out
 * every enabled administrator is refused before it is saved.
 */
import type { ProviderName } from '../domain/principal.js';
import type { UserRights } from '../domain/user-admin.js';
import { PaddockError } from '../errors/index.js';
import { isAccessAllowed, type MembershipCheck } from './access-policy.js';
import type { AccountSessions } from './account-sessions.js';
import type { UserRecord } from './collections.js';
import type { ProviderAccess } from './provider-dispatcher.js';
import { subjectOfUser } from './user-admin-service.js';
import { PROVIDER_DISABLE_REASONS } from './user-linking.js';
import type { UserRepository } from './user-repository.js';

export interface AccessEnforcerDeps {
  readonly users: UserRepository;
  readonly accountSessions: AccountSessions;
  readonly hasAnyMembership: MembershipCheck;
  readonly rights: Pick<UserRights, 'isAdmin'>;
}

export class AccessEnforcer {
  readonly #d: AccessEnforcerDeps;

  constructor(deps: AccessEnforcerDeps) {
    this.#d = deps;
  }

  /** The enabled users of the provider the access would no longer admit. */
  async excluded(provider: ProviderName, access: ProviderAccess): Promise<UserRecord[]> {
    const out: UserRecord[] = [];
    for (const user of await this.#d.users.list()) {
      if (user.provider !== provider || !user.enabled) continue;
      const principalIds = [user.id, ...user.principalIds, ...user.groups.map((g) => g.id)];
      if (!(await isAccessAllowed(access, principalIds, this.#d.hasAnyMembership))) out.push(user);
    }
    return out;
  }

  /** CONFLICT (`last_admin`) when excluding these users leaves no enabled administrator. */
  async assertAdminRemains(excluded: readonly UserRecord[]): Promise<void> {
    const { rights, users } = this.#d;
    const out = new Set(excluded.map((u) => u.id));
    let excludedAdmin = false;
    for (const user of await users.list()) {
      if (!user.enabled || !(await rights.isAdmin(subjectOfUser(user)))) continue;
      if (!out.has(user.id)) return;
      excludedAdmin = true;
    }
    if (excludedAdmin) {
      throw new PaddockError(
        'CONFLICT',
        'this access setting would shut out every enabled administrator',
        { reason: 'last_admin' },
      );
    }
  }

  /** Disables the users (unless an administrator already did) and ends their sessions. */
  async enforce(excluded: readonly UserRecord[]): Promise<void> {
    for (const user of excluded) {
      await this.#d.users.mutate(user.id, (u) =>
        !u.enabled && !PROVIDER_DISABLE_REASONS.includes(u.disabledReason ?? '')
          ? undefined
          : { ...u, enabled: false, disabledReason: 'access_revoked' },
      );
      await this.#d.accountSessions.revokeAllSessions(user.id, { reason: 'access_revoked' });
    }
  }
}
