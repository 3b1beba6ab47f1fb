/**
 * The impersonation lines of a call made as the caller: the same function the proxy uses
 * (`src/rbac/impersonation-headers.ts`), so a GraphQL read and a kubectl read through the proxy
 * are decided by the same downstream RBAC.
 */
export {
  extraHeaderName,
  type ImpersonationHeaders as HeaderLines,
  impersonationHeaders as callerHeaders,
} from '../../rbac/impersonation-headers.js';
