/**
 * Local accounts: users whose argon2id password hash Paddock keeps itself.
 */
import type { PasswordProvider } from '../domain/password-provider.js';
import type { GroupRefresh, Principal, ProviderLogin } from '../domain/principal.js';
import { PaddockError } from '../errors/index.js';
import type { UserRecord } from './collections.js';
import { PasswordHasher } from './password-hasher.js';
import {
  checkPasswordPolicy,
  DEFAULT_PASSWORD_POLICY,
  type PasswordPolicy,
} from './password-policy.js';
import type { Clock } from './runtime.js';
import { PROVIDER_DISABLE_REASONS } from './user-linking.js';
import { localPrincipalId, type UserRepository } from './user-repository.js';

export interface LocalProviderOptions {
  readonly hasher?: PasswordHasher;
  readonly passwordPolicy?: PasswordPolicy;
  readonly now?: Clock;
}

export interface NewLocalUser {
  readonly username: string;
  readonly password: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly mustChangePassword?: boolean;
}

const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** The one answer for unknown user and wrong password, so neither can be told apart. */
export function badCredentials(): PaddockError {
  return new PaddockError('UNAUTHENTICATED', 'invalid username or password', {
    reason: 'bad_credentials',
  });
}

export function localUserPrincipal(user: UserRecord): Principal {
  return {
    id: localPrincipalId(user.id),
    provider: 'local',
    kind: 'user',
    name: user.username,
    displayName: user.displayName,
    ...(user.email === undefined ? {} : { email: user.email }),
  };
}

export class LocalPasswordProvider implements PasswordProvider {
  readonly name = 'local' as const;
  readonly hasher: PasswordHasher;
  readonly policy: PasswordPolicy;
  private readonly users: UserRepository;
  private readonly now: Clock;

  constructor(users: UserRepository, options: LocalProviderOptions = {}) {
    this.users = users;
    this.now = options.now ?? Date.now;
    this.hasher = options.hasher ?? new PasswordHasher();
    this.policy = options.passwordPolicy ?? DEFAULT_PASSWORD_POLICY;
  }

  async login(username: string, password: string): Promise<ProviderLogin> {
    if (password.length === 0 || password.length > this.policy.maxLength * 4)
      throw badCredentials();
    const user = USERNAME_PATTERN.test(username)
      ? await this.users.findByUsername(username)
      : undefined;
    if (!user?.passwordHash) {
      await this.hasher.verifyDummy(password);
      throw badCredentials();
    }
    if (!(await this.hasher.verify(user.passwordHash, password))) throw badCredentials();
    // Only someone who knows the password learns that the account is disabled. A provider-side
    // disable (access mode) is for the login service to lift once access admits the user.
    if (!user.enabled && !PROVIDER_DISABLE_REASONS.includes(user.disabledReason ?? '')) {
      throw new PaddockError('UNAUTHENTICATED', 'account disabled', { reason: 'user_disabled' });
    }
    if (this.hasher.needsRehash(user.passwordHash)) await this.rehash(user, password);
    return { user: localUserPrincipal(user), groups: [] };
  }

  async searchPrincipals(query: string, options: { limit?: number } = {}): Promise<Principal[]> {
    const needle = query.toLowerCase();
    const limit = options.limit ?? 20;
    const found: Principal[] = [];
    for (const user of await this.users.list()) {
      if (user.provider !== 'local') continue;
      const hit =
        user.username.toLowerCase().includes(needle) ||
        user.displayName.toLowerCase().includes(needle);
      if (hit) found.push(localUserPrincipal(user));
    }
    found.sort((a, b) => a.name.localeCompare(b.name));
    return found.slice(0, limit);
  }

  async refreshGroups(principal: Principal): Promise<GroupRefresh> {
    const userId = principal.id.startsWith('local://') ? principal.id.slice('local://'.length) : '';
    const user = userId ? await this.users.get(userId) : undefined;
    if (!user) return { status: 'revoked', reason: 'user_deleted' };
    if (!user.enabled) return { status: 'revoked', reason: 'user_disabled' };
    return { status: 'ok', groups: [] };
  }

  /** Creates a local user; a taken username is CONFLICT, a weak password VALIDATION_FAILED. */
  async createUser(input: NewLocalUser): Promise<UserRecord> {
    if (!USERNAME_PATTERN.test(input.username)) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        'username must be 1-64 letters, digits, dots, dashes, underscores or @',
        { reason: 'bad_username' },
      );
    }
    checkPasswordPolicy(input.password, this.policy, { username: input.username });
    return this.users.create({
      username: input.username,
      provider: 'local',
      passwordHash: await this.hasher.hash(input.password),
      mustChangePassword: input.mustChangePassword ?? false,
      groupsRefreshedAt: this.now(),
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
      ...(input.email === undefined ? {} : { email: input.email }),
    });
  }

  /** The user's own change: the current password is required. Clears must-change-password. */
  async changePassword(
    userId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<UserRecord> {
    const user = await this.users.get(userId);
    if (!user?.passwordHash) {
      throw new PaddockError('BAD_REQUEST', 'this user has no local password', {
        reason: 'not_local_user',
      });
    }
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new PaddockError('FORBIDDEN', 'current password is wrong', {
        reason: 'bad_current_password',
      });
    }
    checkPasswordPolicy(newPassword, this.policy, {
      username: user.username,
      previousPassword: currentPassword,
    });
    return this.writePassword(userId, await this.hasher.hash(newPassword), false);
  }

  /** An administrator's reset: no current password; usually forces a change at next login. */
  async setPassword(
    userId: string,
    newPassword: string,
    options: { mustChangePassword?: boolean } = {},
  ): Promise<UserRecord> {
    const user = await this.users.get(userId);
    if (user?.provider !== 'local') {
      throw new PaddockError('NOT_FOUND', `local user ${userId} not found`);
    }
    checkPasswordPolicy(newPassword, this.policy, { username: user.username });
    return this.writePassword(
      userId,
      await this.hasher.hash(newPassword),
      options.mustChangePassword ?? true,
    );
  }

  private writePassword(
    userId: string,
    passwordHash: string,
    mustChangePassword: boolean,
  ): Promise<UserRecord> {
    return this.users.mutate(userId, (u) => ({
      ...u,
      passwordHash,
      passwordChangedAt: this.now(),
      mustChangePassword,
    }));
  }

  private async rehash(user: UserRecord, password: string): Promise<void> {
    const upgraded = await this.hasher.hash(password);
    try {
      // Only replace the hash we verified: a password change in between must win.
      await this.users.mutate(user.id, (u) =>
        u.passwordHash === user.passwordHash ? { ...u, passwordHash: upgraded } : undefined,
      );
    } catch {
      // The login already succeeded; the upgrade is retried at the next login.
    }
  }
}
