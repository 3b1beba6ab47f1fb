/**
 * Whether a provider's access mode lets a user in: `unrestricted` admits anyone the provider
 * vouches for; `required` only the allowed principals; `restricted` also members of any
 * cluster or project.
 */
import { UnreachableCaseError } from '../errors/index.js';
import type { ProviderAccess } from './provider-dispatcher.js';

/** True when one of the principals is bound to some cluster or project (from rbac). */
export type MembershipCheck = (principalIds: readonly string[]) => Promise<boolean>;

export async function isAccessAllowed(
  access: ProviderAccess,
  principalIds: readonly string[],
  hasAnyMembership: MembershipCheck,
): Promise<boolean> {
  const allowed = () => principalIds.some((id) => access.allowedPrincipalIds.includes(id));
  switch (access.accessMode) {
    case 'unrestricted':
      return true;
    case 'required':
      return allowed();
    case 'restricted':
      return allowed() || (await hasAnyMembership(principalIds));
    default:
      throw new UnreachableCaseError(access.accessMode);
  }
}
