/**
 * type-graphql's `@Authorized(...)` check. Roles are `verb:resource` pairs on Paddock's own
 * objects (`list:users`), asked of the GlobalAuthorizer port: an anonymous caller gets
 * UNAUTHENTICATED, a caller missing any of them gets FORBIDDEN.
 */
import type { AuthCheckerFn } from 'type-graphql';
import type { GlobalAccessRequest } from '../domain/global-authorizer.js';
import type { Identity } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';
import type { GraphQLContext } from './context.js';

export const authChecker: AuthCheckerFn<GraphQLContext, string> = async ({ context }, roles) => {
  const identity = requireIdentity(context);
  for (const role of roles) {
    const request = accessRequestOf(role);
    if (!(await context.ports.authorizer.allows(identity, request))) {
      throw forbidden(request);
    }
  }
  return true;
};

/** `list:users` → `{ verb: 'list', resource: 'users' }`. */
export function accessRequestOf(role: string): GlobalAccessRequest {
  const colon = role.indexOf(':');
  if (colon <= 0) throw new Error(`@Authorized role ${role} is not verb:resource`);
  return { verb: role.slice(0, colon), resource: role.slice(colon + 1) };
}

export function forbidden(request: GlobalAccessRequest): PaddockError {
  return new PaddockError('FORBIDDEN', `not allowed to ${request.verb} ${request.resource}`, {
    reason: 'missing_permission',
    details: { verb: request.verb, resource: request.resource },
  });
}

/** The caller's identity, or UNAUTHENTICATED. */
export function requireIdentity(context: Pick<GraphQLContext, 'identity'>): Identity {
  if (context.identity === undefined) {
    throw new PaddockError('UNAUTHENTICATED', 'authentication required', {
      reason: 'missing_credentials',
    });
  }
  return context.identity;
}
