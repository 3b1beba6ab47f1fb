/** The administration and account resolvers, for `buildSchema({ resolvers: [...] })`. */
import { AuthConfigResolver } from './auth-config.resolver.js';
import { ClusterAdminResolver } from './cluster-admin.resolver.js';
import { SettingAdminResolver } from './setting-admin.resolver.js';

export const adminResolvers = [
  ClusterAdminResolver,
  AuthConfigResolver,
  SettingAdminResolver,
] as const;
