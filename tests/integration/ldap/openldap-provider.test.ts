import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { Client } from 'ldapts';
import type { Principal } from '../../../src/domain/index.js';
import { isPaddockError, type PaddockError } from '../../../src/errors/index.js';
import {
  type LdapProviderConfigInput,
  OpenLdapProvider,
} from '../../../src/identity/ldap/index.js';
import {
  BULK_USERS,
  getSlapd,
  groupDn,
  personDn,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  type SlapdFixture,
  slapdPassword,
  TEAM_GROUPS,
  WEIRD_UID,
} from '../../support/slapd.js';

async function failure(promise: Promise<unknown>): Promise<PaddockError> {
  try {
    await promise;
  } catch (err) {
    if (isPaddockError(err)) return err;
    throw err;
  }
  throw new Error('expected a PaddockError, got success');
}

const groupNames = (groups: readonly Principal[]) => groups.map((g) => g.name).sort();

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const silent = await silentServer();
  await silent.close();
  return silent.port;
}

describe('OpenLDAP provider against a real slapd', function () {
  this.timeout(60_000);
  let slapd: SlapdFixture;

  before(async () => {
    slapd = await getSlapd();
  });

  function config(overrides: Partial<LdapProviderConfigInput> = {}): LdapProviderConfigInput {
    return {
      servers: [`127.0.0.1:${slapd.ldapsPort}`],
      tls: { mode: 'ldaps', caPem: slapd.caPem },
      connectionTimeoutMs: 2000,
      serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
      users: {
        searchBase: SLAPD_PEOPLE,
        enabledAttribute: { attribute: 'employeeType', disabledValues: ['disabled'] },
      },
      groups: { searchBase: SLAPD_GROUPS },
      ...overrides,
    };
  }

  const provider = (overrides: Partial<LdapProviderConfigInput> = {}) =>
    OpenLdapProvider.fromConfig(config(overrides));

  describe('login', () => {
    it('logs a user in over LDAPS and keys the user principal by DN', async () => {
      const { user } = await provider().login('alice', slapdPassword('alice'));
      expect(user).to.deep.equal({
        id: `openldap_user://${personDn('uid=alice')}`,
        provider: 'openldap',
        kind: 'user',
        name: 'alice',
        displayName: 'Alice Liddell',
        email: 'alice@example.org',
      });
    });

    it('returns direct groups and nested groups three levels up, surviving a membership cycle', async () => {
      const { groups } = await provider().login('alice', slapdPassword('alice'));
      const teams = Array.from(
        { length: TEAM_GROUPS },
        (_, i) => `team-${String(i + 1).padStart(2, '0')}`,
      );
      expect(groupNames(groups)).to.deep.equal(
        ['devs', 'engineering', 'loop-a', 'loop-b', 'platform', ...teams].sort(),
      );
      expect(groups.find((g) => g.name === 'engineering')?.id).to.equal(
        `openldap_group://${groupDn('engineering')}`,
      );
    });

    it('follows nested groups no higher than maxDepth', async () => {
      const { groups } = await provider({ nestedGroups: { enabled: true, maxDepth: 1 } }).login(
        'erin',
        slapdPassword('erin'),
      );
      expect(groupNames(groups)).to.deep.equal(['devs', 'loop-a', 'ops', 'platform']);
    });

    it('returns only direct groups when nested groups are off', async () => {
      const { groups } = await provider({ nestedGroups: { enabled: false } }).login(
        'erin',
        slapdPassword('erin'),
      );
      expect(groupNames(groups)).to.deep.equal(['devs', 'ops']);
    });

    it('reads more groups than the server size limit through paged searches', async () => {
      // slapd allows 10 entries per search; alice has 12 team groups plus devs.
      const { groups } = await provider({ pageSize: 3 }).login('alice', slapdPassword('alice'));
      expect(groups.filter((g) => g.name.startsWith('team-'))).to.have.length(TEAM_GROUPS);
    });

    it('answers a wrong password and an unknown user with the same error', async () => {
      const wrong = await failure(provider().login('alice', 'not-her-password'));
      const unknown = await failure(provider().login('nobody', 'whatever'));
      for (const err of [wrong, unknown]) {
        expect(err.code).to.equal('UNAUTHENTICATED');
        expect(err.message).to.equal('invalid username or password');
      }
      expect(wrong.reason).to.equal(unknown.reason);
    });

    it('refuses an empty password without opening any connection', async () => {
      let clients = 0;
      const counting = OpenLdapProvider.fromConfig(config(), {
        createClient: (options) => {
          clients++;
          return new Client(options);
        },
      });
      const err = await failure(counting.login('alice', ''));
      expect(err.code).to.equal('UNAUTHENTICATED');
      expect(err.message).to.equal('invalid username or password');
      expect(clients).to.equal(0);
    });

    it('refuses a disabled user even with the right password', async () => {
      const err = await failure(provider().login('carol', slapdPassword('carol')));
      expect(err.code).to.equal('UNAUTHENTICATED');
      expect(err.message).to.equal('invalid username or password');
    });

    it('matches a login name made of filter metacharacters literally', async () => {
      const { user, groups } = await provider().login(WEIRD_UID, slapdPassword(WEIRD_UID));
      expect(user.name).to.equal(WEIRD_UID);
      expect(groupNames(groups)).to.deep.equal(['weird(group)*']);
    });

    for (const injected of [
      'ali*',
      '*',
      'alice)(uid=*',
      'alice)(|(uid=*',
      '(',
      ')',
      '\\',
      'alice\0',
      '\\2a',
    ]) {
      it(`does not let the login name ${JSON.stringify(injected)} match alice`, async () => {
        const err = await failure(provider().login(injected, slapdPassword('alice')));
        expect(err.code).to.equal('UNAUTHENTICATED');
        expect(err.message).to.equal('invalid username or password');
      });
    }

    it('logs in over StartTLS with the configured CA', async () => {
      const startTls = provider({
        servers: [`127.0.0.1:${slapd.ldapPort}`],
        tls: { mode: 'starttls', caPem: slapd.caPem },
      });
      const { user } = await startTls.login('bob', slapdPassword('bob'));
      expect(user.name).to.equal('bob');
    });

    for (const mode of ['starttls', 'ldaps'] as const) {
      it(`never reopens a dropped ${mode} connection behind the provider's back`, async () => {
        // A silent reconnect would be unbound, and for StartTLS unencrypted: the user's
        // password would then go out in clear.
        const sockets: Socket[] = [];
        const aliceDn = personDn('uid=alice');
        const secure = mode === 'ldaps';
        const dropping = OpenLdapProvider.fromConfig(
          config({
            servers: [`127.0.0.1:${secure ? slapd.ldapsPort : slapd.ldapPort}`],
            tls: { mode, caPem: slapd.caPem },
            operationTimeoutMs: 1000,
          }),
          {
            createClient: (options) => {
              const track = <F extends (...args: never[]) => Socket>(connect: F | undefined) => {
                if (!connect) throw new Error('expected the provider to supply its connect');
                return ((...args: Parameters<F>) => {
                  const socket = connect(...args);
                  sockets.push(socket);
                  return socket;
                }) as unknown as F;
              };
              const client = new Client({
                ...options,
                ...(secure
                  ? { createSecureConnection: track(options.createSecureConnection) }
                  : { createConnection: track(options.createConnection) }),
              });
              const bind = client.bind.bind(client);
              // The connection dies right before the user's bind.
              client.bind = async (dn, password) => {
                if (dn === aliceDn) {
                  const socket = sockets.at(-1);
                  await new Promise((resolve) => {
                    socket?.once('close', resolve);
                    socket?.destroy();
                  });
                }
                return bind(dn, password);
              };
              return client;
            },
          },
        );
        const err = await failure(dropping.login('alice', slapdPassword('alice')));
        expect(err.code).to.be.oneOf(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT']);
        expect(sockets).to.have.length(1);
      });
    }

    it('logs in over plain LDAP when TLS is off', async () => {
      const plain = provider({ servers: [`127.0.0.1:${slapd.ldapPort}`], tls: { mode: 'none' } });
      expect((await plain.login('bob', slapdPassword('bob'))).user.name).to.equal('bob');
    });

    it('verifies the server name against the certificate', async () => {
      const err = await failure(
        provider({
          tls: { mode: 'ldaps', caPem: slapd.caPem, serverName: 'ldap.elsewhere.test' },
        }).login('bob', slapdPassword('bob')),
      );
      expect(err.code).to.equal('UPSTREAM_UNAVAILABLE');
    });

    for (const mode of ['ldaps', 'starttls'] as const) {
      it(`refuses a ${mode} server whose certificate another CA signed`, async () => {
        const port = mode === 'ldaps' ? slapd.ldapsPort : slapd.ldapPort;
        const err = await failure(
          provider({
            servers: [`127.0.0.1:${port}`],
            tls: { mode, caPem: slapd.wrongCaPem },
          }).login('bob', slapdPassword('bob')),
        );
        expect(err.code).to.equal('UPSTREAM_UNAVAILABLE');
        expect(err.reason).to.equal('ldap_unreachable');
        expect(String(err.details?.attempts)).to.match(/tls/);
      });
    }

    it('fails over to the next server when the first refuses connections', async () => {
      const failover = provider({
        servers: [`127.0.0.1:${await deadPort()}`, `127.0.0.1:${slapd.ldapsPort}`],
      });
      expect((await failover.login('bob', slapdPassword('bob'))).user.name).to.equal('bob');
    });

    it('gives up on a server silent past connectionTimeoutMs and uses the next one', async () => {
      const silent = await silentServer();
      try {
        for (const tls of [
          { mode: 'ldaps' as const, caPem: slapd.caPem },
          { mode: 'starttls' as const, caPem: slapd.caPem },
        ]) {
          const good = tls.mode === 'ldaps' ? slapd.ldapsPort : slapd.ldapPort;
          const started = Date.now();
          const failover = provider({
            servers: [`127.0.0.1:${silent.port}`, `127.0.0.1:${good}`],
            tls,
            connectionTimeoutMs: 300,
          });
          expect((await failover.login('bob', slapdPassword('bob'))).user.name).to.equal('bob');
          expect(Date.now() - started).to.be.within(250, 5000);
        }
      } finally {
        await silent.close();
      }
    });

    it('reports the directory unavailable when no server answers', async () => {
      const silent = await silentServer();
      try {
        const err = await failure(
          provider({
            servers: [`127.0.0.1:${await deadPort()}`, `127.0.0.1:${silent.port}`],
            connectionTimeoutMs: 300,
          }).login('bob', slapdPassword('bob')),
        );
        expect(err.code).to.equal('UPSTREAM_UNAVAILABLE');
        expect(err.details?.attempts).to.have.length(2);
      } finally {
        await silent.close();
      }
    });

    it('reports a rejected service account as unavailable, not as bad user credentials', async () => {
      const err = await failure(
        provider({
          serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: 'wrong' },
        }).login('bob', slapdPassword('bob')),
      );
      expect(err.code).to.equal('UPSTREAM_UNAVAILABLE');
      expect(err.reason).to.equal('ldap_service_bind_rejected');
    });

    it('keys principals by another attribute when configured (entryUUID)', async () => {
      const byUuid = provider({ principalIdAttribute: 'entryUUID' });
      const { user, groups } = await byUuid.login('bob', slapdPassword('bob'));
      expect(user.id).to.match(/^openldap_user:\/\/[0-9a-f-]{36}$/);
      expect(groups.map((g) => g.id)).to.satisfy((ids: string[]) =>
        ids.every((id) => /^openldap_group:\/\/[0-9a-f-]{36}$/.test(id)),
      );
      const refreshed = await byUuid.refreshGroups(user);
      expect(refreshed).to.deep.equal({ status: 'ok', groups });
    });
  });

  describe('searchPrincipals', () => {
    it('finds users and groups whose names contain the query', async () => {
      const found = await provider().searchPrincipals('dev');
      expect(found.map((p) => `${p.kind}:${p.name}`)).to.deep.equal(['group:devs']);
      const people = await provider().searchPrincipals('Liddell');
      expect(people.map((p) => p.id)).to.deep.equal([`openldap_user://${personDn('uid=alice')}`]);
    });

    it('pages through more entries than the page size and the server size limit', async () => {
      const found = await provider({ pageSize: 4 }).searchPrincipals('bulk', { limit: 100 });
      expect(found).to.have.length(BULK_USERS);
      expect(new Set(found.map((p) => p.name)).size).to.equal(BULK_USERS);
    });

    it('stops at the limit', async () => {
      const found = await provider({ pageSize: 4 }).searchPrincipals('bulk', { limit: 7 });
      expect(found).to.have.length(7);
    });

    it('treats filter metacharacters in the query literally', async () => {
      const byName = async (query: string) =>
        (await provider().searchPrincipals(query)).map((p) => `${p.kind}:${p.name}`).sort();
      expect(await byName('*')).to.deep.equal(['group:weird(group)*', `user:${WEIRD_UID}`]);
      expect(await byName('(name)')).to.deep.equal([`user:${WEIRD_UID}`]);
      expect(await byName('\\')).to.deep.equal([`user:${WEIRD_UID}`]);
      expect(await byName(')(uid=*')).to.deep.equal([]);
      expect(await byName('\0')).to.deep.equal([]);
    });

    it('returns nothing for an empty query', async () => {
      expect(await provider().searchPrincipals('  ')).to.deep.equal([]);
    });
  });

  describe('refreshGroups', () => {
    it('drops the groups a user was removed from', async () => {
      const p = provider();
      const { user } = await p.login('erin', slapdPassword('erin'));
      await slapd.modify(
        `dn: ${groupDn('devs')}\nchangetype: modify\ndelete: member\nmember: ${personDn('uid=erin')}\n`,
      );
      const refreshed = await p.refreshGroups(user);
      expect(refreshed.status).to.equal('ok');
      expect(refreshed.status === 'ok' && groupNames(refreshed.groups)).to.deep.equal(['ops']);
    });

    it('revokes a user who has been disabled', async () => {
      const p = provider();
      const { user } = await p.login('frank', slapdPassword('frank'));
      await slapd.modify(
        `dn: ${personDn('uid=frank')}\nchangetype: modify\nadd: employeeType\nemployeeType: disabled\n`,
      );
      expect(await p.refreshGroups(user)).to.deep.equal({
        status: 'revoked',
        reason: 'user disabled',
      });
    });

    it('revokes a user who is gone from the directory', async () => {
      const p = provider();
      const { user } = await p.login('dave', slapdPassword('dave'));
      await slapd.modify(`dn: ${personDn('uid=dave')}\nchangetype: delete\n`);
      expect(await p.refreshGroups(user)).to.deep.equal({
        status: 'revoked',
        reason: 'user no longer in the directory',
      });
    });

    it('revokes a principal whose DN is not a DN', async () => {
      const refreshed = await provider().refreshGroups({
        id: 'openldap_user://not a dn',
        provider: 'openldap',
        kind: 'user',
        name: 'x',
      });
      expect(refreshed).to.deep.equal({
        status: 'revoked',
        reason: 'user no longer in the directory',
      });
    });

    it('revokes a principal of another provider', async () => {
      const refreshed = await provider().refreshGroups({
        id: 'local://u-1',
        provider: 'local',
        kind: 'user',
        name: 'x',
      });
      expect(refreshed.status).to.equal('revoked');
    });
  });
});
