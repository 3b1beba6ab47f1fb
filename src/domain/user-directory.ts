/**
 * Users and principals as the GraphQL layer reads them. `src/identity` owns the records; the
 * resolvers get only these read ports, so a password hash can never reach a response.
 */
import type { Identity } from './identity.js';
import type { Principal, ProviderName } from './principal.js';

/** A Paddock user without any credential material. */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly email?: string;
  readonly provider: ProviderName;
  /** The user's own principals (`local://u-…`, `openldap_user://…`). */
  readonly principalIds: readonly string[];
  /** Group principals as last reported by the provider. */
  readonly groups: readonly Principal[];
  readonly enabled: boolean;
  readonly disabledReason?: string;
  readonly mustChangePassword: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastLoginAt?: number;
}

/** Reads users; `UserRepository` from `src/identity` fits this shape. */
export interface UserDirectory {
  get(userId: string): Promise<UserView | undefined>;
  /** Every user; callers page and filter. */
  list(): Promise<readonly UserView[]>;
}

export interface PrincipalSearchOptions {
  /** Who is searching: providers search with the caller's own directory rights. */
  readonly caller: Identity;
  readonly limit: number;
}

/** Finds users and groups by name across the enabled providers (to add members, grant roles). */
export interface PrincipalSearch {
  search(text: string, options: PrincipalSearchOptions): Promise<readonly Principal[]>;
}
