/** A PasswordProvider fake standing for a directory (OpenLDAP shape) in unit tests. */
import type { PasswordProvider } from '../../../src/domain/password-provider.js';
import type { GroupRefresh, Principal, ProviderLogin } from '../../../src/domain/principal.js';
import { PaddockError } from '../../../src/errors/index.js';

interface DirectoryUser {
  password: string;
  groups: string[];
  gone?: boolean;
}

export class FakeDirectory implements PasswordProvider {
  readonly name = 'openldap' as const;
  readonly people = new Map<string, DirectoryUser>();
  logins = 0;
  refreshes = 0;
  down = false;

  add(username: string, password: string, groups: string[] = []): void {
    this.people.set(username, { password, groups });
  }

  principalOf(username: string): Principal {
    return {
      id: `openldap_user://uid=${username},dc=example`,
      provider: 'openldap',
      kind: 'user',
      name: username,
      displayName: username.toUpperCase(),
    };
  }

  private groupsOf(person: DirectoryUser): Principal[] {
    return person.groups.map((g) => ({
      id: `openldap_group://cn=${g},dc=example`,
      provider: 'openldap',
      kind: 'group',
      name: g,
    }));
  }

  async login(username: string, password: string): Promise<ProviderLogin> {
    this.logins++;
    if (this.down) throw new PaddockError('UPSTREAM_UNAVAILABLE', 'directory down');
    const person = this.people.get(username);
    if (!person || person.gone || person.password !== password) {
      throw new PaddockError('UNAUTHENTICATED', 'invalid username or password', {
        reason: 'bad_credentials',
      });
    }
    return { user: this.principalOf(username), groups: this.groupsOf(person) };
  }

  async searchPrincipals(): Promise<Principal[]> {
    return [];
  }

  /** Finds `openldap_user://uid=<name>,dc=example` among the people who are not gone. */
  async lookupUser(principalId: string): Promise<Principal | undefined> {
    if (this.down) throw new PaddockError('UPSTREAM_UNAVAILABLE', 'directory down');
    const name = /^openldap_user:\/\/uid=([^,]+),dc=example$/.exec(principalId)?.[1];
    const person = name === undefined ? undefined : this.people.get(name);
    return person && !person.gone ? this.principalOf(name!) : undefined;
  }

  async refreshGroups(user: Principal): Promise<GroupRefresh> {
    this.refreshes++;
    if (this.down) throw new PaddockError('UPSTREAM_UNAVAILABLE', 'directory down');
    const person = this.people.get(user.name);
    if (!person || person.gone) return { status: 'revoked', reason: 'user_gone' };
    return { status: 'ok', groups: this.groupsOf(person) };
  }
}
