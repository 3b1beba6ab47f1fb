/**
 * The user a downstream API server sees for a Paddock caller: exactly what the impersonation
 * headers say (`src/rbac/impersonation-headers.ts`): the user id, every group principal and
 * `system:authenticated`. A caller those headers refuse (a control character in a principal)
 * is refused here too, so the index never decides for someone the cluster would not see.
 */
import type { Identity } from '../domain/identity.js';
import { impersonationHeaders } from '../rbac/impersonation-headers.js';
import type { KubeUser } from './authorization/index.js';

export function kubeUserOf(identity: Identity): KubeUser {
  impersonationHeaders(identity, 'check');
  return {
    name: identity.userId,
    groups: [...new Set([...identity.groupPrincipalIds, 'system:authenticated'])],
  };
}
