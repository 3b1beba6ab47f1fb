/**
 * Binding a directory user who never logged in, as Rancher does: the user principal is looked
 * up at its provider and, when the directory has that user, a Paddock user is created for it
 * now. Its first login finds it by the principal, so the bindings made before apply at once.
 */
import { hasErrorCode } from '../errors/index.js';
import type { ProviderDispatcher } from './provider-dispatcher.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import { createLinkedUser } from './user-linking.js';
import type { UserRepository } from './user-repository.js';

const USER_PRINCIPAL = /^([a-z]+)_user:\/\/./;

/**
 * The Paddock user id for a user principal: the existing user, or one made for a user the
 * provider vouches exists. Undefined when the provider cannot look users up (GitHub, OIDC:
 * such users must log in once) or does not know the principal.
 */
export function createPrincipalProvisioner(deps: {
  readonly users: UserRepository;
  readonly providers: ProviderDispatcher;
  readonly runtime?: IdentityRuntime;
}): (principalId: string) => Promise<string | undefined> {
  const runtime = deps.runtime ?? systemRuntime;
  return async (principalId) => {
    const existing = await deps.users.findByPrincipal(principalId);
    if (existing) return existing.id;
    const providerName = USER_PRINCIPAL.exec(principalId)?.[1];
    const entry = providerName === undefined ? undefined : deps.providers.get(providerName);
    if (entry?.provider.lookupUser === undefined) return undefined;
    const principal = await entry.provider.lookupUser(principalId);
    if (principal === undefined || principal.id !== principalId) return undefined;
    try {
      const user = await createLinkedUser(
        deps.users,
        entry.provider.name,
        { user: principal, groups: [] },
        runtime,
        { loggedIn: false },
      );
      return user.id;
    } catch (err) {
      // The user logged in for the first time meanwhile.
      if (!hasErrorCode(err, 'CONFLICT')) throw err;
      return (await deps.users.findByPrincipal(principalId))?.id;
    }
  };
}
