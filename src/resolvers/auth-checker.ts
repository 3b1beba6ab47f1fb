/**
 * type-graphql's `@Authorized(...)` check: an anonymous caller gets UNAUTHENTICATED, a caller
 * without every named global permission gets FORBIDDEN. Roles are `GlobalPermission` names.
 */
import type { AuthCheckerFn } from 'type-graphql';
import type { GlobalPermission } from '../domain/global-authorizer.js';
import type { Identity } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';
import type { GraphQLContext } from './context.js';

export const authChecker: AuthCheckerFn<GraphQLContext, GlobalPermission> = async (
  { context },
  permissions,
) => {
  const identity = requireIdentity(context);
  for (const permission of permissions) {
    if (!(await context.ports.authorizer.hasPermission(identity, permission))) {
      throw new PaddockError('FORBIDDEN', `this needs the global permission ${permission}`, {
        reason: 'missing_permission',
        details: { permission },
      });
    }
  }
  return true;
};

/** The caller's identity, or UNAUTHENTICATED. */
export function requireIdentity(context: Pick<GraphQLContext, 'identity'>): Identity {
  if (context.identity === undefined) {
    throw new PaddockError('UNAUTHENTICATED', 'authentication required', {
      reason: 'missing_credentials',
    });
  }
  return context.identity;
}
