import type { Entry } from 'ldapts';
import { activeDirectoryConfigSchema, parseLdapConfig } from './ldap-config.js';
import type { LdapConnectOptions } from './ldap-connection.js';
import { LdapDirectoryProvider } from './ldap-directory-provider.js';
import { firstValue } from './ldap-entry.js';
import { and, equals, extensibleMatch } from './ldap-filter.js';
import type { LdapSession } from './ldap-session.js';

/** LDAP_MATCHING_RULE_IN_CHAIN: AD walks nested membership itself. */
export const IN_CHAIN_MATCHING_RULE = '1.2.840.113556.1.4.1941';

/** userAccountControl flag ACCOUNTDISABLE. */
export const UAC_ACCOUNT_DISABLED = 0x2;

/**
 * Active Directory (and Samba AD): users by sAMAccountName or userPrincipalName, disabled by the
 * userAccountControl ACCOUNTDISABLE bit, nested groups through the in-chain matching rule,
 * principals keyed by objectGUID. Membership through the primary group (Domain Users) is not in
 * `member` and is therefore not reported.
 */
export class ActiveDirectoryProvider extends LdapDirectoryProvider {
  readonly name = 'activedirectory' as const;

  /** Validates `config` (an `LdapProviderConfigInput`, AD defaults) and builds the provider. */
  static fromConfig(config: unknown, options: LdapConnectOptions = {}) {
    return new ActiveDirectoryProvider(
      parseLdapConfig(activeDirectoryConfigSchema, config, 'activedirectory'),
      options,
    );
  }

  /** Computers are `user` objects too; only people log in. */
  protected override userFilter(): string {
    return and(super.userFilter(), equals('objectCategory', 'person'));
  }

  protected override userAttributes(): string[] {
    return [...super.userAttributes(), 'userAccountControl'];
  }

  protected isDisabled(entry: Entry): boolean {
    const uac = Number(firstValue(entry, 'userAccountControl') ?? '0');
    return (uac & UAC_ACCOUNT_DISABLED) !== 0 || this.isDisabledByAttribute(entry);
  }

  protected groupsOf(session: LdapSession, user: Entry): Promise<Entry[]> {
    const { groups, nestedGroups } = this.config;
    const membership = nestedGroups.enabled
      ? extensibleMatch(groups.memberAttribute, IN_CHAIN_MATCHING_RULE, user.dn)
      : equals(groups.memberAttribute, user.dn);
    return session.search({
      base: groups.searchBase,
      filter: and(this.groupFilter(), membership),
      attributes: this.groupAttributes(),
      binaryAttributes: this.binaryAttributes,
    });
  }
}
