/** The administration and account resolvers, for `buildSchema({ resolvers: [...] })`. */
import { AccountResolver } from './account.resolver.js';
import { AuthConfigResolver } from './auth-config.resolver.js';
import { ClusterAdminResolver } from './cluster-admin.resolver.js';
import { SettingAdminResolver } from './setting-admin.resolver.js';

export const adminResolvers = [
  ClusterAdminResolver,
  AuthConfigResolver,
  SettingAdminResolver,
  AccountResolver,
] as const;
