/**
 * The `UserAdmin` port: what an administrator does to other users. The entry point has checked
 * the verb (`update users`, ...); this decides whether the caller may act on *this* user: never
 * on one holding a right the caller lacks (so `users-manage` cannot take over or lock out an
 * admin), never disabling or deleting oneself, and never the last enabled administrator.
 */
import type { Identity } from '../domain/identity.js';
import type { AccessSubject } from '../domain/rbac.js';
import type { Store } from '../domain/store.js';
import type {
  NewLocalUserRequest,
  PasswordReset,
  UserAdmin,
  UserChanges,
  UserRights,
  UserWithPassword,
} from '../domain/user-admin.js';
import type { UserView } from '../domain/user-directory.js';
import { PaddockError } from '../errors/index.js';
import type { AccountSessions } from './account-sessions.js';
import type { ApiKeyService } from './api-keys.js';
import type { UserRecord } from './collections.js';
import type { LocalPasswordProvider } from './local-provider.js';
import { preferencesCollection } from './preferences-store.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import type { UserRepository } from './user-repository.js';

export interface UserAdminDeps {
  readonly store: Store;
  readonly users: UserRepository;
  readonly local: LocalPasswordProvider;
  readonly accountSessions: AccountSessions;
  readonly apiKeys: Pick<ApiKeyService, 'revokeAllOf'>;
  readonly rights: UserRights;
  readonly runtime?: IdentityRuntime;
}

type Action = 'update' | 'enable' | 'disable' | 'delete' | 'reset-password' | 'end-sessions';

const ACTION_TEXT: Readonly<Record<Action, string>> = {
  update: 'change this user',
  enable: 'enable this user',
  disable: 'disable this user',
  delete: 'delete this user',
  'reset-password': "reset this user's password",
  'end-sessions': "end this user's sessions",
};

const USER_ID = /^u-[a-z0-9]{1,40}$/;
const MAX_DISPLAY_NAME = 128;
const MAX_EMAIL = 254;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** 18 random bytes as 24 base64url characters (144 bits): no password policy refuses it. */
export function generatePassword(randomBytes: (size: number) => Buffer): string {
  return randomBytes(18).toString('base64url');
}

/** A user record without its credential material. */
export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    ...(user.email === undefined ? {} : { email: user.email }),
    provider: user.provider,
    principalIds: user.principalIds,
    groups: user.groups,
    enabled: user.enabled,
    ...(user.disabledReason === undefined ? {} : { disabledReason: user.disabledReason }),
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    ...(user.lastLoginAt === undefined ? {} : { lastLoginAt: user.lastLoginAt }),
  };
}

export function subjectOfUser(user: UserRecord): AccessSubject {
  return { userId: user.id, groupPrincipalIds: user.groups.map((g) => g.id) };
}

export class UserAdminService implements UserAdmin {
  readonly #d: UserAdminDeps;
  readonly #runtime: IdentityRuntime;

  constructor(deps: UserAdminDeps) {
    this.#d = deps;
    this.#runtime = deps.runtime ?? systemRuntime;
  }

  async createLocalUser(_caller: Identity, input: NewLocalUserRequest): Promise<UserWithPassword> {
    const generatedPassword =
      input.password === undefined ? generatePassword(this.#runtime.randomBytes) : undefined;
    const user = await this.#d.local.createUser({
      username: input.username,
      password: input.password ?? generatedPassword!,
      mustChangePassword: input.mustChangePassword ?? true,
      ...(input.displayName === undefined ? {} : { displayName: cleanName(input.displayName) }),
      ...(input.email === undefined || input.email === ''
        ? {}
        : { email: cleanEmail(input.email) }),
    });
    return { user: toUserView(user), ...(generatedPassword ? { generatedPassword } : {}) };
  }

  async updateUser(caller: Identity, userId: string, changes: UserChanges): Promise<UserView> {
    await this.#target(caller, userId, 'update');
    const displayName =
      changes.displayName === undefined ? undefined : cleanName(changes.displayName);
    const email =
      changes.email === undefined || changes.email === ''
        ? changes.email
        : cleanEmail(changes.email);
    const updated = await this.#d.users.mutate(userId, (u) => {
      const { email: current, ...rest } = u;
      const next = email === undefined ? current : email === '' ? undefined : email;
      return {
        ...rest,
        ...(displayName === undefined ? {} : { displayName }),
        ...(next === undefined ? {} : { email: next }),
      };
    });
    return toUserView(updated);
  }

  async setEnabled(caller: Identity, userId: string, enabled: boolean): Promise<UserView> {
    await this.#target(caller, userId, enabled ? 'enable' : 'disable');
    if (enabled) return toUserView(await this.#d.users.enable(userId));
    // Disabled first: every key and session is refused from this write on, on every replica;
    // the sessions then end for good, so enabling the user later brings none of them back.
    const disabled = await this.#d.users.disable(userId, 'admin');
    await this.#d.accountSessions.revokeAllSessions(userId, { reason: 'user_disabled' });
    return toUserView(disabled);
  }

  async deleteUser(caller: Identity, userId: string): Promise<boolean> {
    if (!USER_ID.test(userId) || (await this.#d.users.get(userId)) === undefined) return false;
    await this.#target(caller, userId, 'delete');
    // Disabled first, so that if a later step fails the user is locked out and a retry
    // finishes the job; the record goes last.
    await this.#d.users.disable(userId, 'deleting');
    await this.#d.rights.removeUserBindings(userId);
    await this.#d.accountSessions.revokeAllSessions(userId, { reason: 'user_deleted' });
    await this.#d.apiKeys.revokeAllOf(userId);
    await this.#d.store.collection(preferencesCollection).delete(userId);
    return this.#d.users.collection.delete(userId);
  }

  async resetPassword(
    caller: Identity,
    userId: string,
    input: PasswordReset,
  ): Promise<UserWithPassword> {
    const user = await this.#target(caller, userId, 'reset-password');
    if (user.provider !== 'local' || user.passwordHash === undefined) {
      throw new PaddockError('BAD_REQUEST', `${user.username} has no local password to reset`, {
        reason: 'not_local_user',
      });
    }
    const generatedPassword =
      input.newPassword === undefined ? generatePassword(this.#runtime.randomBytes) : undefined;
    const updated = await this.#d.local.setPassword(
      userId,
      input.newPassword ?? generatedPassword!,
      {
        mustChangePassword: input.mustChangePassword ?? true,
      },
    );
    await this.#d.accountSessions.revokeAllSessions(userId, { reason: 'password_reset' });
    return { user: toUserView(updated), ...(generatedPassword ? { generatedPassword } : {}) };
  }

  async revokeSession(caller: Identity, userId: string, sessionId: string): Promise<boolean> {
    await this.#target(caller, userId, 'end-sessions');
    return this.#d.accountSessions.revokeSession(userId, sessionId);
  }

  async revokeAllSessions(caller: Identity, userId: string): Promise<number> {
    await this.#target(caller, userId, 'end-sessions');
    return this.#d.accountSessions.revokeAllSessions(userId, { reason: 'admin' });
  }

  /** The user, if the caller may do this to it; otherwise NOT_FOUND, FORBIDDEN or CONFLICT. */
  async #target(caller: Identity, userId: string, action: Action): Promise<UserRecord> {
    const user = USER_ID.test(userId) ? await this.#d.users.get(userId) : undefined;
    if (user === undefined) {
      throw new PaddockError('NOT_FOUND', `user ${userId} not found`, { reason: 'user_not_found' });
    }
    const removes = action === 'disable' || action === 'delete';
    if (user.id === caller.userId) {
      if (removes) await this.#assertNotLastAdmin(user);
      if (removes || action === 'reset-password') {
        throw new PaddockError(
          'FORBIDDEN',
          action === 'reset-password'
            ? 'use changePassword for your own password'
            : `you cannot ${action} yourself`,
          { reason: 'self' },
        );
      }
      return user;
    }
    if (!(await this.#d.rights.covers(caller, subjectOfUser(user)))) {
      throw new PaddockError(
        'FORBIDDEN',
        `${user.username} holds rights you do not hold; only someone holding all of them may ${ACTION_TEXT[action]}`,
        { reason: 'escalation', details: { userId } },
      );
    }
    if (removes) await this.#assertNotLastAdmin(user);
    return user;
  }

  async #assertNotLastAdmin(target: UserRecord): Promise<void> {
    const { rights, users } = this.#d;
    if (!target.enabled || !(await rights.isAdmin(subjectOfUser(target)))) return;
    for (const other of await users.list()) {
      if (other.id !== target.id && other.enabled && (await rights.isAdmin(subjectOfUser(other)))) {
        return;
      }
    }
    throw new PaddockError('CONFLICT', `${target.username} is the last enabled administrator`, {
      reason: 'last_admin',
    });
  }
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_DISPLAY_NAME || /[\p{Cc}]/u.test(trimmed)) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `displayName must be 1-${MAX_DISPLAY_NAME} printable characters`,
      { reason: 'invalid_display_name', details: { field: 'displayName' } },
    );
  }
  return trimmed;
}

function cleanEmail(email: string): string {
  const trimmed = email.trim();
  if (trimmed.length > MAX_EMAIL || !EMAIL.test(trimmed)) {
    throw new PaddockError('VALIDATION_FAILED', 'email must be an address like name@example.org', {
      reason: 'invalid_email',
      details: { field: 'email' },
    });
  }
  return trimmed;
}
