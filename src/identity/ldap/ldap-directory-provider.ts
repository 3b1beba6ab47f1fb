import { AndFilter, type Entry, EqualityFilter, type Filter, FilterParser } from 'ldapts';
import type {
  GroupRefresh,
  PasswordProvider,
  Principal,
  ProviderLogin,
} from '../../domain/index.js';
import { PaddockError } from '../../errors/index.js';
import type { LdapProviderConfig } from './ldap-config.js';
import type { LdapConnectOptions } from './ldap-connection.js';
import { attributeValues, firstBuffer, firstValue } from './ldap-entry.js';
import { and, configuredFilter, contains, equals, or } from './ldap-filter.js';
import { type LdapSession, withLdapSession } from './ldap-session.js';
import { formatObjectGuid, parseObjectGuid } from './object-guid.js';

interface UserLookup {
  readonly base: string;
  readonly scope: 'base' | 'sub';
  readonly filter: string | Filter;
}

/** The one answer for unknown user, wrong password, disabled or ambiguous account. */
export function invalidCredentials(): PaddockError {
  return new PaddockError('UNAUTHENTICATED', 'invalid username or password', {
    reason: 'invalid_credentials',
  });
}

/** Longer login names are refused without asking the directory. */
const MAX_USERNAME_LENGTH = 256;

/**
 * Names with a NUL are refused up front although the filter escapes it: slapd truncates
 * substring assertions at a NUL, so `*\00*` would match every entry.
 */
function isPlausibleName(name: string): boolean {
  return name.trim() !== '' && name.length <= MAX_USERNAME_LENGTH && !name.includes('\0');
}

export type LdapProviderName = 'openldap' | 'activedirectory';

/**
 * What OpenLDAP and Active Directory share: service-account search for the user, a password
 * check by bind, group lookup, principal search and group refresh. Subclasses say how a user is
 * matched, when an account is disabled, how principal ids are read and how groups are found.
 */
export abstract class LdapDirectoryProvider implements PasswordProvider {
  abstract readonly name: LdapProviderName;

  constructor(
    protected readonly config: LdapProviderConfig,
    private readonly connectOptions: LdapConnectOptions = {},
  ) {}

  /** Whether the directory says this account may not log in. */
  protected abstract isDisabled(entry: Entry): boolean;
  /** The user's groups, nested ones included when configured. */
  protected abstract groupsOf(session: LdapSession, user: Entry): Promise<Entry[]>;
  /** Attributes returned as bytes: objectGUID when it keys principals. */
  protected get binaryAttributes(): readonly string[] {
    return this.config.principalIdAttribute.toLowerCase() === 'objectguid' ? ['objectGUID'] : [];
  }

  async login(username: string, password: string): Promise<ProviderLogin> {
    // Refused before any connection: an empty password would be an unauthenticated bind, which
    // servers answer with success.
    if (password === '' || !isPlausibleName(username)) {
      throw invalidCredentials();
    }
    return withLdapSession(this.config, this.connectOptions, async (session) => {
      const found = await session.search({
        base: this.config.users.searchBase,
        filter: and(this.userFilter(), this.loginFilter(username)),
        attributes: this.userAttributes(),
        binaryAttributes: this.binaryAttributes,
        limit: 2,
      });
      // Two entries for one login name: refuse rather than guess which one is meant.
      if (found.length !== 1) throw invalidCredentials();
      const entry = found[0] as Entry;
      if (this.isDisabled(entry)) throw invalidCredentials();
      if (!(await session.verifyPassword(entry.dn, password))) throw invalidCredentials();
      const groups = await this.groupsOf(session, entry);
      return { user: this.userPrincipal(entry), groups: groups.map((g) => this.groupPrincipal(g)) };
    });
  }

  async searchPrincipals(query: string, options: { limit?: number } = {}): Promise<Principal[]> {
    const text = query.trim();
    const limit = Math.max(0, Math.min(options.limit ?? 50, 1000));
    if (!isPlausibleName(text) || limit === 0) return [];
    return withLdapSession(this.config, this.connectOptions, async (session) => {
      const { users, groups } = this.config;
      const userEntries = await session.search({
        base: users.searchBase,
        filter: and(
          this.userFilter(),
          or(
            ...users.loginAttribute.map((a) => contains(a, text)),
            contains(users.displayNameAttribute, text),
            contains(users.emailAttribute, text),
          ),
        ),
        attributes: this.userAttributes(),
        binaryAttributes: this.binaryAttributes,
        limit,
      });
      const found = userEntries
        .filter((e) => !this.isDisabled(e))
        .map((e) => this.userPrincipal(e));
      if (found.length >= limit) return found.slice(0, limit);
      const groupEntries = await session.search({
        base: groups.searchBase,
        filter: and(this.groupFilter(), contains(groups.nameAttribute, text)),
        attributes: this.groupAttributes(),
        binaryAttributes: this.binaryAttributes,
        limit: limit - found.length,
      });
      return [...found, ...groupEntries.map((g) => this.groupPrincipal(g))];
    });
  }

  async refreshGroups(user: Principal): Promise<GroupRefresh> {
    if (user.provider !== this.name) {
      return { status: 'revoked', reason: `not a ${this.name} user` };
    }
    const lookup = this.lookupOf(user.id);
    if (typeof lookup === 'string') return { status: 'revoked', reason: lookup };
    return withLdapSession(this.config, this.connectOptions, async (session) => {
      const entry = await this.findUser(session, lookup);
      if (typeof entry === 'string') return { status: 'revoked', reason: entry };
      const groups = await this.groupsOf(session, entry);
      return { status: 'ok', groups: groups.map((g) => this.groupPrincipal(g)) };
    });
  }

  async lookupUser(principalId: string): Promise<Principal | undefined> {
    const lookup = this.lookupOf(principalId);
    if (typeof lookup === 'string') return undefined;
    return withLdapSession(this.config, this.connectOptions, async (session) => {
      const entry = await this.findUser(session, lookup);
      return typeof entry === 'string' ? undefined : this.userPrincipal(entry);
    });
  }

  /** Where the user of a principal id is, or why it cannot be one of this provider's. */
  private lookupOf(principalId: string): UserLookup | string {
    const prefix = `${this.name}_user://`;
    if (!principalId.startsWith(prefix)) return `not a ${this.name} user`;
    try {
      return this.userLookup(principalId.slice(prefix.length));
    } catch {
      return 'malformed principal id';
    }
  }

  /** The one enabled entry a lookup finds, or why there is none. */
  private async findUser(session: LdapSession, lookup: UserLookup): Promise<Entry | string> {
    const found = await session.search({
      ...lookup,
      attributes: this.userAttributes(),
      binaryAttributes: this.binaryAttributes,
      limit: 2,
    });
    if (found.length !== 1) return 'user no longer in the directory';
    const entry = found[0] as Entry;
    return this.isDisabled(entry) ? 'user disabled' : entry;
  }

  /** The key of a user or group in its principal id: DN, objectGUID or another attribute. */
  protected principalKey(entry: Entry): string {
    const attribute = this.config.principalIdAttribute;
    if (attribute === 'dn') return entry.dn;
    if (attribute.toLowerCase() === 'objectguid') {
      const bytes = firstBuffer(entry, attribute);
      if (bytes?.length === 16) return formatObjectGuid(bytes);
    } else {
      const value = firstValue(entry, attribute);
      if (value) return value;
    }
    throw new PaddockError('INTERNAL', `directory entry has no ${attribute}`, {
      reason: 'ldap_principal_id_missing',
    });
  }

  /** Where the user behind a principal key is: its DN, or a search on the id attribute. */
  protected userLookup(key: string): UserLookup {
    const attribute = this.config.principalIdAttribute;
    if (attribute === 'dn') return { base: key, scope: 'base', filter: this.userFilter() };
    const base = this.config.users.searchBase;
    if (attribute.toLowerCase() === 'objectguid') {
      // A GUID is binary: as a filter string ldapts would re-encode its bytes as UTF-8, so the
      // assertion is built as a filter object holding the raw bytes.
      const filter = new AndFilter({
        filters: [
          FilterParser.parseString(this.userFilter()),
          new EqualityFilter({ attribute, value: parseObjectGuid(key) }),
        ],
      });
      return { base, scope: 'sub', filter };
    }
    return { base, scope: 'sub', filter: and(this.userFilter(), equals(attribute, key)) };
  }

  /** Filter selecting the user a login name designates: any login attribute equal to it. */
  protected loginFilter(username: string): string {
    return or(...this.config.users.loginAttribute.map((a) => equals(a, username)));
  }

  /** objectClass plus the configured user filter. */
  protected userFilter(): string {
    return and(
      equals('objectClass', this.config.users.objectClass),
      configuredFilter(this.config.users.filter),
    );
  }

  protected groupFilter(): string {
    return and(
      equals('objectClass', this.config.groups.objectClass),
      configuredFilter(this.config.groups.filter),
    );
  }

  protected userAttributes(): string[] {
    const { users, principalIdAttribute } = this.config;
    const names = [
      ...users.loginAttribute,
      users.displayNameAttribute,
      users.emailAttribute,
      ...(users.enabledAttribute ? [users.enabledAttribute.attribute] : []),
      ...(principalIdAttribute === 'dn' ? [] : [principalIdAttribute]),
      ...(this.config.groups.memberMapping === 'dn' ? [] : [this.config.groups.memberMapping]),
    ];
    return [...new Set(names)];
  }

  protected groupAttributes(): string[] {
    const { groups, principalIdAttribute } = this.config;
    return [
      ...new Set([
        groups.nameAttribute,
        ...(principalIdAttribute === 'dn' ? [] : [principalIdAttribute]),
      ]),
    ];
  }

  /** The configured enabled attribute, if any, says disabled. */
  protected isDisabledByAttribute(entry: Entry): boolean {
    const rule = this.config.users.enabledAttribute;
    if (!rule) return false;
    const values = attributeValues(entry, rule.attribute).map((v) => v.toLowerCase());
    const inList = (list: readonly string[]) => list.some((v) => values.includes(v.toLowerCase()));
    if (rule.disabledValues && inList(rule.disabledValues)) return true;
    if (rule.enabledValues && !inList(rule.enabledValues)) return true;
    return false;
  }

  protected userPrincipal(entry: Entry): Principal {
    const { users } = this.config;
    const name =
      users.loginAttribute.map((a) => firstValue(entry, a)).find((v) => v !== undefined) ??
      entry.dn;
    const displayName = firstValue(entry, users.displayNameAttribute);
    const email = firstValue(entry, users.emailAttribute);
    return {
      id: `${this.name}_user://${this.principalKey(entry)}`,
      provider: this.name,
      kind: 'user',
      name,
      ...(displayName === undefined ? {} : { displayName }),
      ...(email === undefined ? {} : { email }),
    };
  }

  protected groupPrincipal(entry: Entry): Principal {
    const name = firstValue(entry, this.config.groups.nameAttribute) ?? entry.dn;
    return {
      id: `${this.name}_group://${this.principalKey(entry)}`,
      provider: this.name,
      kind: 'group',
      name,
      displayName: name,
    };
  }
}
