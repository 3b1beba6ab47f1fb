/**
 * Users in the store: lookups by id, username and principal, and read-modify-write updates
 * that retry on a concurrent change (another replica logging the same user in).
 */
import type { Principal, ProviderName } from '../domain/principal.js';
import type { Collection, Store, StoredRecord } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import { type UserRecord, usersCollection } from './collections.js';
import { type IdentityRuntime, newUserId, systemRuntime } from './runtime.js';

export interface NewUser {
  readonly username: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly provider: ProviderName;
  /** Principals other than the local one, e.g. the LDAP DN principal. */
  readonly principalIds?: readonly string[];
  readonly groups?: readonly Principal[];
  readonly groupsRefreshedAt?: number;
  readonly passwordHash?: string;
  readonly mustChangePassword?: boolean;
  readonly enabled?: boolean;
  readonly lastLoginAt?: number;
  readonly refreshMaterial?: string;
}

const MAX_CAS_ATTEMPTS = 8;

/** The principal id of a local user: `local://<userId>`. */
export function localPrincipalId(userId: string): string {
  return `local://${userId}`;
}

export class UserRepository {
  readonly collection: Collection<UserRecord>;
  private readonly runtime: IdentityRuntime;

  constructor(store: Store, runtime: IdentityRuntime = systemRuntime) {
    this.collection = store.collection(usersCollection);
    this.runtime = runtime;
  }

  async get(userId: string): Promise<UserRecord | undefined> {
    return (await this.collection.get(userId))?.value;
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const [record] = await this.collection.list({
      index: 'byUsername',
      value: username.toLowerCase(),
      limit: 1,
    });
    return record?.value;
  }

  async findByPrincipal(principalId: string): Promise<UserRecord | undefined> {
    const [record] = await this.collection.list({
      index: 'byPrincipal',
      value: principalId,
      limit: 1,
    });
    return record?.value;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.collection.list()).map((r) => r.value);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.collection.list({ limit: 1 })).length === 0;
  }

  /**
   * Creates a user with a fresh id. Local users (those with a password hash) get their
   * `local://<id>` principal. A taken username fails with CONFLICT (reason `unique_index`).
   */
  async create(input: NewUser): Promise<UserRecord> {
    for (let attempt = 0; ; attempt++) {
      const id = newUserId(this.runtime.randomBytes);
      const now = this.runtime.now();
      const principalIds = [
        ...(input.provider === 'local' ? [localPrincipalId(id)] : []),
        ...(input.principalIds ?? []),
      ];
      const user: UserRecord = {
        id,
        username: input.username,
        displayName: input.displayName ?? input.username,
        ...(input.email === undefined ? {} : { email: input.email }),
        provider: input.provider,
        principalIds,
        groups: input.groups ?? [],
        ...(input.groupsRefreshedAt === undefined
          ? {}
          : { groupsRefreshedAt: input.groupsRefreshedAt }),
        enabled: input.enabled ?? true,
        mustChangePassword: input.mustChangePassword ?? false,
        ...(input.passwordHash === undefined
          ? {}
          : { passwordHash: input.passwordHash, passwordChangedAt: now }),
        createdAt: now,
        updatedAt: now,
        ...(input.lastLoginAt === undefined ? {} : { lastLoginAt: input.lastLoginAt }),
        ...(input.refreshMaterial === undefined ? {} : { refreshMaterial: input.refreshMaterial }),
      };
      try {
        return (await this.collection.create(id, user)).value;
      } catch (err) {
        // Only an id collision is worth another try; a taken username or principal is the
        // caller's problem. Adapters word conflicts differently, so look rather than parse.
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 3) throw err;
        if ((await this.collection.get(id)) === undefined) throw err;
      }
    }
  }

  /**
   * Applies `change` to the current record and writes it with compare-and-set, retrying when
   * another writer got there first. `change` returning `undefined` means "nothing to do".
   */
  async mutate(
    userId: string,
    change: (user: UserRecord) => UserRecord | undefined,
  ): Promise<UserRecord> {
    for (let attempt = 1; ; attempt++) {
      const current: StoredRecord<UserRecord> | undefined = await this.collection.get(userId);
      if (!current) throw new PaddockError('NOT_FOUND', `user ${userId} not found`);
      const next = change(current.value);
      if (next === undefined) return current.value;
      try {
        const written = await this.collection.update(
          userId,
          { ...next, id: userId, updatedAt: this.runtime.now() },
          { resourceVersion: current.resourceVersion },
        );
        return written.value;
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= MAX_CAS_ATTEMPTS) throw err;
        // A conflict with an unchanged record is a unique index clash, not a race: give up.
        const again = await this.collection.get(userId);
        if (again?.resourceVersion === current.resourceVersion) throw err;
      }
    }
  }

  /** Disables a user; every session and key of theirs stops working. */
  async disable(userId: string, reason: string): Promise<UserRecord> {
    return this.mutate(userId, (u) =>
      !u.enabled && u.disabledReason === reason
        ? undefined
        : { ...u, enabled: false, disabledReason: reason },
    );
  }

  async enable(userId: string): Promise<UserRecord> {
    return this.mutate(userId, (u) => {
      if (u.enabled) return undefined;
      const { disabledReason: _dropped, ...rest } = u;
      return { ...rest, enabled: true };
    });
  }

  /** Signs the user out everywhere: sessions issued until now are refused. */
  async revokeAllSessions(userId: string): Promise<UserRecord> {
    // Milliseconds, compared with the session's `iatms`: every session issued before now is
    // refused, the one issued right after (a password change's fresh session) stays valid.
    const now = this.runtime.now();
    return this.mutate(userId, (u) => ({ ...u, sessionsValidAfter: now }));
  }
}
