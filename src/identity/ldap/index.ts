export {
  ActiveDirectoryProvider,
  IN_CHAIN_MATCHING_RULE,
  UAC_ACCOUNT_DISABLED,
} from './activedirectory-provider.js';
export type { LdapProviderConfig, LdapProviderConfigInput, LdapTlsMode } from './ldap-config.js';
export {
  activeDirectoryConfigSchema,
  ldapTlsModes,
  openLdapConfigSchema,
  parseLdapConfig,
} from './ldap-config.js';
export type {
  LdapClientFactory,
  LdapConnectOptions,
  LdapServerAddress,
} from './ldap-connection.js';
export { connectLdap, parseServers } from './ldap-connection.js';
export { invalidCredentials, LdapDirectoryProvider } from './ldap-directory-provider.js';
export { escapeFilterValue } from './ldap-filter.js';
export { formatObjectGuid, parseObjectGuid } from './object-guid.js';
export { OpenLdapProvider } from './openldap-provider.js';
