import { expect } from 'chai';
import { isPaddockError } from '../../../src/errors/index.js';
import { ActiveDirectoryProvider, OpenLdapProvider } from '../../../src/identity/ldap/index.js';
import {
  activeDirectoryConfigSchema,
  openLdapConfigSchema,
} from '../../../src/identity/ldap/ldap-config.js';
import { parseServers } from '../../../src/identity/ldap/ldap-connection.js';

const minimal = {
  servers: ['ldap1.example.org'],
  serviceAccount: { bindDn: 'cn=svc,dc=example,dc=org', password: 'pw' },
  users: { searchBase: 'ou=people,dc=example,dc=org' },
  groups: { searchBase: 'ou=groups,dc=example,dc=org' },
};

describe('LDAP provider config', () => {
  it('fills OpenLDAP defaults: LDAPS, uid logins, groupOfNames, DN principal ids', () => {
    const c = openLdapConfigSchema.parse(minimal);
    expect(c.tls).to.deep.equal({ mode: 'ldaps', dangerouslySkipTlsVerify: false });
    expect(c.users.loginAttribute).to.deep.equal(['uid']);
    expect(c.groups).to.include({ objectClass: 'groupOfNames', memberAttribute: 'member' });
    expect(c.nestedGroups).to.deep.equal({ enabled: true, maxDepth: 10 });
    expect(c.principalIdAttribute).to.equal('dn');
    expect(c.connectionTimeoutMs).to.equal(5000);
    expect(c.pageSize).to.equal(500);
  });

  it('fills AD defaults: sAMAccountName or UPN logins, group objects, objectGUID ids', () => {
    const c = activeDirectoryConfigSchema.parse(minimal);
    expect(c.users.loginAttribute).to.deep.equal(['sAMAccountName', 'userPrincipalName']);
    expect(c.groups.objectClass).to.equal('group');
    expect(c.principalIdAttribute).to.equal('objectGUID');
  });

  it('accepts a single login attribute as a string', () => {
    const c = openLdapConfigSchema.parse({
      ...minimal,
      users: { ...minimal.users, loginAttribute: 'mail' },
    });
    expect(c.users.loginAttribute).to.deep.equal(['mail']);
  });

  it('rejects attribute names that could smuggle filter syntax', () => {
    const bad = { ...minimal, users: { ...minimal.users, loginAttribute: 'uid)(cn' } };
    expect(openLdapConfigSchema.safeParse(bad).success).to.equal(false);
  });

  it('rejects a CA with TLS turned off, and an empty server list', () => {
    expect(
      openLdapConfigSchema.safeParse({ ...minimal, tls: { mode: 'none', caPem: 'x' } }).success,
    ).to.equal(false);
    expect(openLdapConfigSchema.safeParse({ ...minimal, servers: [] }).success).to.equal(false);
  });

  it('requires enabled or disabled values for an enabled attribute', () => {
    const users = { ...minimal.users, enabledAttribute: { attribute: 'nsAccountLock' } };
    expect(openLdapConfigSchema.safeParse({ ...minimal, users }).success).to.equal(false);
  });

  it('splits servers into hosts and ports, defaulting the port from the TLS mode', () => {
    const servers = ['a.example.org', 'b.example.org:1636', '[::1]:10636', '::1', '127.0.0.1:389'];
    const ldaps = openLdapConfigSchema.parse({ ...minimal, servers });
    expect(parseServers(ldaps)).to.deep.equal([
      { host: 'a.example.org', port: 636 },
      { host: 'b.example.org', port: 1636 },
      { host: '::1', port: 10636 },
      { host: '::1', port: 636 },
      { host: '127.0.0.1', port: 389 },
    ]);
    const startTls = openLdapConfigSchema.parse({ ...minimal, tls: { mode: 'starttls' } });
    expect(parseServers(startTls)).to.deep.equal([{ host: 'ldap1.example.org', port: 389 }]);
    const explicit = openLdapConfigSchema.parse({ ...minimal, port: 10389 });
    expect(parseServers(explicit)[0]?.port).to.equal(10389);
  });

  it('refuses a server entry with a bad port', () => {
    const c = openLdapConfigSchema.parse({ ...minimal, servers: ['a:99999'] });
    expect(() => parseServers(c)).to.throw(/bad port/);
  });
});

describe('LDAP provider construction', () => {
  it('reports a bad config as CONFIG_INVALID naming the key', () => {
    try {
      OpenLdapProvider.fromConfig({ ...minimal, pageSize: 0 });
      expect.fail('expected an error');
    } catch (err) {
      expect(isPaddockError(err) && err.code).to.equal('CONFIG_INVALID');
      expect((err as Error).message).to.match(/pageSize/);
    }
  });

  it('builds both providers from a minimal config', () => {
    expect(OpenLdapProvider.fromConfig(minimal).name).to.equal('openldap');
    expect(ActiveDirectoryProvider.fromConfig(minimal).name).to.equal('activedirectory');
  });
});
