/**
 * Principals: who an identity provider vouches for. Ids carry the provider as a scheme
 * (`openldap_group://cn=devs,...`) so that one provider's group can never pose as another's.
 */

export type ProviderName = 'local' | 'openldap' | 'activedirectory' | 'github' | 'oidc';

export type PrincipalKind = 'user' | 'group';

export interface Principal {
  /** e.g. `local://u-abc12`, `activedirectory_user://<objectGUID>`, `github_team://123`. */
  readonly id: string;
  readonly provider: ProviderName;
  readonly kind: PrincipalKind;
  /** The name a person recognises: login name for users, group name for groups. */
  readonly name: string;
  readonly displayName?: string;
  readonly email?: string;
}

/** What a successful login at a provider yields. */
export interface ProviderLogin {
  readonly user: Principal;
  readonly groups: readonly Principal[];
}

/** Result of asking a provider again about a user it vouched for before. */
export type GroupRefresh =
  | { readonly status: 'ok'; readonly groups: readonly Principal[] }
  | { readonly status: 'revoked'; readonly reason: string };

export type AccessMode = 'unrestricted' | 'restricted' | 'required';
