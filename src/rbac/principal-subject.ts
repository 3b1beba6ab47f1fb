/**
 * Turns a principal id (a search result) into what a binding names: group principals are bound
 * as they are; user principals become the Paddock user they belong to, because the proxy
 * impersonates `User <userId>`, never a principal.
 */
import type { BindingSubject } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';

const GROUP_SCHEMES = [
  'openldap_group',
  'activedirectory_group',
  'github_org',
  'github_team',
  'oidc_group',
];
const USER_SCHEMES = ['local', 'openldap_user', 'activedirectory_user', 'github_user', 'oidc_user'];

export function principalKind(principalId: string): 'user' | 'group' | undefined {
  const scheme = /^([a-z_]+):\/\/./.exec(principalId)?.[1];
  if (scheme === undefined) return undefined;
  if (GROUP_SCHEMES.includes(scheme)) return 'group';
  if (USER_SCHEMES.includes(scheme)) return 'user';
  return undefined;
}

/** Finds the Paddock user a user principal belongs to (undefined: never logged in). */
export type UserPrincipalLookup = (principalId: string) => Promise<string | undefined>;

export async function subjectForPrincipal(
  principalId: string,
  lookup: UserPrincipalLookup,
): Promise<BindingSubject> {
  const kind = principalKind(principalId);
  if (kind === 'group') return { kind: 'group', principalId };
  if (kind === undefined) {
    throw new PaddockError('VALIDATION_FAILED', `${principalId} is not a principal id`, {
      reason: 'invalid_principal',
    });
  }
  const local = /^local:\/\/(u-[a-z0-9]+)$/.exec(principalId)?.[1];
  const userId = (await lookup(principalId)) ?? local;
  if (userId === undefined) {
    throw new PaddockError(
      'NOT_FOUND',
      `no Paddock user has the principal ${principalId} yet; they must log in once, or bind a group`,
      { reason: 'user_not_found' },
    );
  }
  return { kind: 'user', userId, principalId };
}
