import type { Entry } from 'ldapts';
import { openLdapConfigSchema, parseLdapConfig } from './ldap-config.js';
import type { LdapConnectOptions } from './ldap-connection.js';
import { LdapDirectoryProvider } from './ldap-directory-provider.js';
import { attributeValues } from './ldap-entry.js';
import { and, equals, or } from './ldap-filter.js';
import type { LdapSession } from './ldap-session.js';
import { walkNestedGroups } from './nested-groups.js';

/**
 * OpenLDAP (or any RFC 4519 directory): users matched on the login attribute(s), disabled
 * accounts told by the configured enabled attribute, groups found by their member attribute and
 * nested groups by a bounded walk. Principals are keyed by DN unless configured otherwise.
 */
export class OpenLdapProvider extends LdapDirectoryProvider {
  readonly name = 'openldap' as const;

  /** Validates `config` (an `LdapProviderConfigInput`, OpenLDAP defaults) and builds the provider. */
  static fromConfig(config: unknown, options: LdapConnectOptions = {}) {
    return new OpenLdapProvider(parseLdapConfig(openLdapConfigSchema, config, 'openldap'), options);
  }

  protected isDisabled(entry: Entry): boolean {
    return this.isDisabledByAttribute(entry);
  }

  protected async groupsOf(session: LdapSession, user: Entry): Promise<Entry[]> {
    const { groups, nestedGroups } = this.config;
    const byDn = groups.memberMapping === 'dn';
    const memberValues = byDn ? [user.dn] : attributeValues(user, groups.memberMapping);
    if (memberValues.length === 0) return [];
    const groupsWithMember = (values: readonly string[]) =>
      session.search({
        base: groups.searchBase,
        filter: and(
          this.groupFilter(),
          or(...values.map((v) => equals(groups.memberAttribute, v))),
        ),
        attributes: this.groupAttributes(),
        binaryAttributes: this.binaryAttributes,
      });
    const direct = await groupsWithMember(memberValues);
    // Groups can only contain groups when members are DNs.
    if (!nestedGroups.enabled || !byDn) return direct;
    return walkNestedGroups(direct, groupsWithMember, { maxDepth: nestedGroups.maxDepth });
  }
}
