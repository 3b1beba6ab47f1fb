/**
 * Maps what a provider vouched for to a Paddock user: the user owning the provider's user
 * principal, or a new `u-<random>` user at the first login. Groups are stored with the user.
 */
import type { Principal, ProviderLogin, ProviderName } from '../domain/principal.js';
import type { RedirectLogin } from '../domain/redirect-provider.js';
import { hasErrorCode } from '../errors/index.js';
import type { UserRecord } from './collections.js';
import { type IdentityRuntime, randomLowerAlnum } from './runtime.js';
import type { UserRepository } from './user-repository.js';

/** Disable reasons a later successful login (or refresh) lifts by itself. */
export const PROVIDER_DISABLE_REASONS: readonly string[] = ['provider_revoked', 'access_revoked'];

/**
 * Creates the user a provider vouched for. `loggedIn: false` makes a user who has not logged in
 * yet (bound by principal); its first login finds it by the principal.
 */
export async function createLinkedUser(
  users: UserRepository,
  provider: ProviderName,
  login: ProviderLogin & Pick<RedirectLogin, 'refreshMaterial'>,
  runtime: IdentityRuntime,
  options: { loggedIn?: boolean } = {},
): Promise<UserRecord> {
  const base = login.user.name;
  // Usernames are unique across providers; a clash (LDAP alice vs local alice) gets a suffix.
  const candidates = [
    base,
    `${base}@${provider}`,
    `${base}@${provider}-${randomLowerAlnum(runtime.randomBytes, 5)}`,
  ];
  for (const [i, username] of candidates.entries()) {
    try {
      return await users.create({
        username,
        displayName: login.user.displayName ?? base,
        ...(login.user.email === undefined ? {} : { email: login.user.email }),
        provider,
        principalIds: [login.user.id],
        groups: login.groups,
        groupsRefreshedAt: runtime.now(),
        ...(options.loggedIn === false ? {} : { lastLoginAt: runtime.now() }),
        ...(login.refreshMaterial === undefined ? {} : { refreshMaterial: login.refreshMaterial }),
      });
    } catch (err) {
      if (!hasErrorCode(err, 'CONFLICT') || i === candidates.length - 1) throw err;
      // A concurrent first login of the same person on another replica: use that user.
      const raced = await users.findByPrincipal(login.user.id);
      if (raced) return raced;
    }
  }
  throw new Error('unreachable');
}

/** The fresh facts of a login written onto the existing user. */
export function withLogin(
  user: UserRecord,
  login: ProviderLogin & Pick<RedirectLogin, 'refreshMaterial'>,
  now: number,
): UserRecord {
  return {
    ...user,
    ...(login.refreshMaterial === undefined ? {} : { refreshMaterial: login.refreshMaterial }),
    displayName: login.user.displayName ?? user.displayName,
    ...(login.user.email === undefined ? {} : { email: login.user.email }),
    groups: [...login.groups] as Principal[],
    groupsRefreshedAt: now,
    lastLoginAt: now,
  };
}
