/** The authorization resolvers, for `buildSchema({ resolvers: [..., ...rbacResolvers] })`. */
import { ExplainAccessResolver } from './explain-access.resolver.js';
import { MembershipResolver } from './membership.resolver.js';
import { RoleResolver } from './role.resolver.js';

export const rbacResolvers = [RoleResolver, MembershipResolver, ExplainAccessResolver] as const;
