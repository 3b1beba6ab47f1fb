import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Client } from 'ldapts';
import type { Principal } from '../../../src/domain/index.js';
import { isPaddockError, type PaddockError } from '../../../src/errors/index.js';
import {
  ActiveDirectoryProvider,
  type LdapProviderConfigInput,
} from '../../../src/identity/ldap/index.js';
import {
  AD_BASE_DN,
  AD_SERVER_NAME,
  AD_SERVICE_DN,
  AD_SERVICE_PASSWORD,
  AD_USERS_DN,
  adPassword,
  getSambaAd,
  type SambaAdFixture,
} from '../../support/samba-ad.js';
import { createTestCa } from '../../support/test-ca.js';

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
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return address.port;
}

describe('Active Directory provider against a real Samba AD DC', function () {
  // Provisioning a domain takes a few seconds on first use.
  this.timeout(180_000);
  let ad: SambaAdFixture;
  let wrongCaPem: string;
  let tempDir: string | undefined;

  before(async () => {
    ad = await getSambaAd();
    tempDir = mkdtempSync(join(tmpdir(), 'paddock-ad-test-'));
    wrongCaPem = (await createTestCa(tempDir, 'unrelated')).caPem;
  });

  // A failed `before` leaves no temp dir; its error is the one worth reading.
  after(() => {
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  });

  function config(overrides: Partial<LdapProviderConfigInput> = {}): LdapProviderConfigInput {
    return {
      servers: [`127.0.0.1:${ad.ldapsPort}`],
      tls: { mode: 'ldaps', caPem: ad.caPem, serverName: AD_SERVER_NAME },
      connectionTimeoutMs: 5000,
      serviceAccount: { bindDn: AD_SERVICE_DN, password: AD_SERVICE_PASSWORD },
      users: { searchBase: AD_USERS_DN },
      groups: { searchBase: AD_BASE_DN },
      // Smaller than alice's five groups, so the in-chain search spans pages.
      pageSize: 2,
      ...overrides,
    };
  }
  const provider = (overrides: Partial<LdapProviderConfigInput> = {}) =>
    ActiveDirectoryProvider.fromConfig(config(overrides));

  async function objectGuidOf(name: string): Promise<string> {
    const shown = await ad.sambaTool('user', 'show', name, '--attributes=objectGUID');
    const match = /objectGUID: ([0-9a-f-]{36})/i.exec(shown);
    if (!match?.[1]) throw new Error(`no objectGUID in ${shown}`);
    return match[1].toLowerCase();
  }

  describe('login', () => {
    it('logs a user in by sAMAccountName and keys the principal by objectGUID', async () => {
      const { user } = await provider().login('alice', adPassword('alice'));
      expect(user).to.deep.equal({
        id: `activedirectory_user://${await objectGuidOf('alice')}`,
        provider: 'activedirectory',
        kind: 'user',
        name: 'alice',
        displayName: 'Alice Liddell',
        email: 'alice@paddock.test',
      });
    });

    it('logs the same user in by userPrincipalName', async () => {
      const bySam = await provider().login('alice', adPassword('alice'));
      const byUpn = await provider().login('alice@paddock.test', adPassword('alice'));
      expect(byUpn.user.id).to.equal(bySam.user.id);
    });

    it('returns nested groups through the in-chain matching rule, cycle included, across pages', async () => {
      const { groups } = await provider().login('alice', adPassword('alice'));
      expect(groupNames(groups)).to.deep.equal([
        'devs',
        'engineering',
        'loop-a',
        'loop-b',
        'platform',
      ]);
      for (const g of groups) expect(g.id).to.match(/^activedirectory_group:\/\/[0-9a-f-]{36}$/);
      const key = (g: Principal) => g.id.replace('activedirectory_group://', '');
      expect(groups.map(key).every((k) => GUID.test(k))).to.equal(true);
    });

    it('returns only direct groups when nested groups are off', async () => {
      const { groups } = await provider({ nestedGroups: { enabled: false } }).login(
        'alice',
        adPassword('alice'),
      );
      expect(groupNames(groups)).to.deep.equal(['devs']);
    });

    it('answers a wrong password and an unknown user with the same error', async () => {
      const wrong = await failure(provider().login('alice', 'Wrong-Pw!2024'));
      const unknown = await failure(provider().login('nobody', 'Wrong-Pw!2024'));
      for (const err of [wrong, unknown]) {
        expect(err.code).to.equal('UNAUTHENTICATED');
        expect(err.message).to.equal('invalid username or password');
      }
    });

    it('refuses an empty password without opening any connection', async () => {
      let clients = 0;
      const counting = ActiveDirectoryProvider.fromConfig(config(), {
        createClient: (options) => {
          clients++;
          return new Client(options);
        },
      });
      const err = await failure(counting.login('alice', ''));
      expect(err.code).to.equal('UNAUTHENTICATED');
      expect(clients).to.equal(0);
    });

    it('refuses a user whose account is disabled (userAccountControl bit 0x2)', async () => {
      const err = await failure(provider().login('carol', adPassword('carol')));
      expect(err.code).to.equal('UNAUTHENTICATED');
      expect(err.message).to.equal('invalid username or password');
    });

    for (const injected of [
      'ali*',
      '*',
      'alice)(sAMAccountName=*',
      '(',
      ')',
      '\\',
      '*@paddock.test',
    ]) {
      it(`does not let the login name ${JSON.stringify(injected)} match alice`, async () => {
        const err = await failure(provider().login(injected, adPassword('alice')));
        expect(err.code).to.equal('UNAUTHENTICATED');
      });
    }

    it('logs in over StartTLS on port 389 with the CA', async () => {
      const startTls = provider({
        servers: [`127.0.0.1:${ad.ldapPort}`],
        tls: { mode: 'starttls', caPem: ad.caPem, serverName: AD_SERVER_NAME },
      });
      expect((await startTls.login('bob', adPassword('bob'))).user.name).to.equal('bob');
    });

    it('refuses the DC when its certificate does not chain to the configured CA', async () => {
      const err = await failure(
        provider({
          tls: { mode: 'ldaps', caPem: wrongCaPem, serverName: AD_SERVER_NAME },
        }).login('bob', adPassword('bob')),
      );
      expect(err.code).to.equal('UPSTREAM_UNAVAILABLE');
    });

    it('fails over to the DC when the first server is down', async () => {
      const failover = provider({
        servers: [`127.0.0.1:${await deadPort()}`, `127.0.0.1:${ad.ldapsPort}`],
      });
      expect((await failover.login('bob', adPassword('bob'))).user.name).to.equal('bob');
    });
  });

  describe('searchPrincipals', () => {
    it('finds users and groups by part of their name', async () => {
      const found = await provider().searchPrincipals('loop');
      expect(found.map((p) => `${p.kind}:${p.name}`).sort()).to.deep.equal([
        'group:loop-a',
        'group:loop-b',
      ]);
      const people = await provider().searchPrincipals('Liddell');
      expect(people.map((p) => p.id)).to.deep.equal([
        `activedirectory_user://${await objectGuidOf('alice')}`,
      ]);
    });

    it('treats filter metacharacters in the query literally', async () => {
      const names = async (q: string) => (await provider().searchPrincipals(q)).map((p) => p.name);
      expect(await names('(')).to.deep.equal(['weird(group)']);
      expect(await names('*')).to.deep.equal([]);
      expect(await names(')(cn=*')).to.deep.equal([]);
    });
  });

  describe('refreshGroups', () => {
    it('drops the groups a user was removed from', async () => {
      const p = provider();
      const { user, groups } = await p.login('erin', adPassword('erin'));
      expect(groupNames(groups)).to.include('devs');
      await ad.sambaTool('group', 'removemembers', 'devs', 'erin');
      const refreshed = await p.refreshGroups(user);
      expect(refreshed.status === 'ok' && groupNames(refreshed.groups)).to.deep.equal(['ops']);
    });

    it('revokes a user who has been disabled', async () => {
      const p = provider();
      const { user } = await p.login('frank', adPassword('frank'));
      await ad.sambaTool('user', 'disable', 'frank');
      expect(await p.refreshGroups(user)).to.deep.equal({
        status: 'revoked',
        reason: 'user disabled',
      });
    });

    it('revokes a user who has been deleted', async () => {
      const p = provider();
      const { user } = await p.login('dave', adPassword('dave'));
      await ad.sambaTool('user', 'delete', 'dave');
      expect(await p.refreshGroups(user)).to.deep.equal({
        status: 'revoked',
        reason: 'user no longer in the directory',
      });
    });
  });
});
