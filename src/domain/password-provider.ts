import type { GroupRefresh, Principal, ProviderLogin, ProviderName } from './principal.js';

/**
 * A provider that checks a username and password itself (local, OpenLDAP, Active Directory).
 * Failures are `PaddockError('UNAUTHENTICATED', ...)` with the same message whether the user is
 * unknown or the password wrong; an unreachable directory is `UPSTREAM_UNAVAILABLE`.
 */
export interface PasswordProvider {
  readonly name: ProviderName;
  login(username: string, password: string): Promise<ProviderLogin>;
  /** Users and groups whose name starts with or contains `query`, for adding members. */
  searchPrincipals(query: string, options?: { limit?: number }): Promise<Principal[]>;
  /** Re-reads the user's groups (and whether the user still exists and is enabled). */
  refreshGroups(user: Principal): Promise<GroupRefresh>;
  /**
   * The user a principal id names, if the directory has it and it may log in; lets a user who
   * never logged in be bound by principal. Providers that cannot look users up omit it.
   */
  lookupUser?(principalId: string): Promise<Principal | undefined>;
}
