/** The administration and account resolvers, for `buildSchema({ resolvers: [...] })`. */
import { AccountResolver } from './account.resolver.js';
import { AuthConfigResolver } from './auth-config.resolver.js';
import { ClusterAdminResolver } from './cluster-admin.resolver.js';
import { MySessionsResolver } from './my-sessions.resolver.js';
import { SettingAdminResolver } from './setting-admin.resolver.js';
import { UserAdminResolver } from './user-admin.resolver.js';

export const adminResolvers = [
  ClusterAdminResolver,
  AuthConfigResolver,
  SettingAdminResolver,
  AccountResolver,
  UserAdminResolver,
  MySessionsResolver,
] as const;
