/** The administration and account resolvers, for `buildSchema({ resolvers: [...] })`. */
import { ClusterAdminResolver } from './cluster-admin.resolver.js';

export const adminResolvers = [ClusterAdminResolver] as const;
