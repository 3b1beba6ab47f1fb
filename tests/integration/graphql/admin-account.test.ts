import { expect } from 'chai';
import {
  getSlapd,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  slapdPassword,
} from '../../support/slapd.js';
import { waitFor } from '../../support/wait-for.js';
import {
  ADMIN_PASSWORD,
  type AdminPaddock,
  errorCode,
  startAdminPaddock,
} from './support/admin-graphql.js';

const NEW_PASSWORD = 'a-brand-new-admin-password-42';

const CHANGE_PASSWORD = `mutation($current: String!, $next: String!) {
  changePassword(currentPassword: $current, newPassword: $next) {
    token userId username expiresAt mustChangePassword
  }
}`;

const UPDATE_GLOBAL_ROLE = `mutation($input: GlobalRoleInput!) {
  updateGlobalRole(input: $input) { id newUserDefault }
}`;

describe('GraphQL account mutations and admin-only rights on a running Paddock', function () {
  this.timeout(120_000);
  let app: AdminPaddock;
  let admin: string;
  /** A directory user holding the built-in `user` role, the default for new users. */
  let alice: string;
  /** A directory user holding only the `user-base` global role. */
  let bob: string;
  let ldapSettings: Record<string, unknown>;

  before(async () => {
    const slapd = await getSlapd();
    app = await startAdminPaddock('graphql-admin-account');
    admin = await app.session('admin', ADMIN_PASSWORD);
    ldapSettings = {
      servers: [`127.0.0.1:${slapd.ldapsPort}`],
      tls: { mode: 'ldaps', caPem: slapd.caPem },
      serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
      users: { searchBase: SLAPD_PEOPLE },
      groups: { searchBase: SLAPD_GROUPS },
    };
    const set = await app.graphql(
      admin,
      'mutation($input: SetAuthConfigInput!) { setAuthConfig(input: $input) { provider } }',
      {
        input: {
          provider: 'OPENLDAP',
          enabled: true,
          accessMode: 'UNRESTRICTED',
          settings: ldapSettings,
        },
      },
    );
    expect(set.errors, JSON.stringify(set.errors)).to.equal(undefined);
    alice = await waitFor(
      'alice to log in through OpenLDAP',
      async () => {
        const r = await app.login('alice', slapdPassword('alice'), 'openldap');
        return r.status === 200 ? (JSON.parse(r.body).token as string) : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    // Default roles are bound the first time the authorizer sees a user, so alice is seen
    // before the defaults change.
    const seen = await app.graphql(alice, '{ clusters { totalCount } }');
    expect(seen.errors, JSON.stringify(seen.errors)).to.equal(undefined);
    // The default `user` role may create clusters (as in Rancher); new users get `user-base`
    // instead, so the directory user below holds no administrative right at all.
    const roles = await app.graphql(
      admin,
      '{ globalRoles { id rules { apiGroups nonResourceURLs resourceNames resources verbs } } }',
    );
    expect(roles.errors, JSON.stringify(roles.errors)).to.equal(undefined);
    for (const [id, newUserDefault] of [
      ['user', false],
      ['user-base', true],
    ] as const) {
      const res = await app.graphql(admin, UPDATE_GLOBAL_ROLE, {
        // A built-in's rules are fixed: send them back as they are.
        input: {
          id,
          rules: roles.data.globalRoles.find((r: { id: string }) => r.id === id).rules,
          newUserDefault,
        },
      });
      expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
      expect(res.data.updateGlobalRole).to.deep.equal({ id, newUserDefault });
    }
    bob = await waitFor(
      'bob to log in through OpenLDAP',
      async () => {
        const r = await app.login('bob', slapdPassword('bob'), 'openldap');
        return r.status === 200 ? (JSON.parse(r.body).token as string) : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  });

  after(async () => {
    await app?.stop();
  });

  describe('a directory user holding only the user-base role', () => {
    const forbidden: [string, string, Record<string, unknown>?][] = [
      [
        'importCluster',
        'mutation($input: ImportClusterInput!) { importCluster(input: $input) { id } }',
        {
          input: {
            name: 'x',
            endpoint: 'https://127.0.0.1:1',
            impersonatorToken: 'impersonator-token-0123456789',
            managerToken: 'manager-token-0123456789',
          },
        },
      ],
      [
        'createClusterImport',
        'mutation { createClusterImport(input: { name: "x" }) { manifest } }',
      ],
      [
        'setAuthConfig',
        'mutation($s: JSON!) { setAuthConfig(input: { provider: OPENLDAP, settings: $s }) { provider } }',
        { s: {} },
      ],
      [
        'testAuthConfig',
        'mutation($s: JSON!) { testAuthConfig(input: { provider: OPENLDAP, settings: $s, username: "a", password: "b" }) { ok } }',
        { s: {} },
      ],
      ['deleteAuthConfig', 'mutation { deleteAuthConfig(provider: OPENLDAP) }'],
      ['authConfigs', '{ authConfigs { provider } }'],
      [
        'updateSetting',
        'mutation { updateSetting(name: "server-url", value: "https://x") { name } }',
      ],
      ['removeCluster', 'mutation { removeCluster(id: "c-nope") }'],
    ];
    for (const [field, query, variables] of forbidden) {
      it(`is FORBIDDEN to use ${field}`, async () => {
        const res = await app.graphql(bob, query, variables);
        expect(errorCode(res), JSON.stringify(res.errors)).to.equal('FORBIDDEN');
        expect(res.data?.[field] ?? null).to.equal(null);
      });
    }

    it('leaves the saved configuration untouched after the refused calls', async () => {
      const res = await app.graphql(admin, '{ authConfigs { provider settings secretsSet } }');
      expect(res.data.authConfigs).to.have.length(1);
      expect(res.data.authConfigs[0].settings.servers).to.deep.equal(ldapSettings.servers);
    });

    it('may still change its own preferences', async () => {
      const res = await app.graphql(
        bob,
        'mutation { updatePreferences(input: { theme: DARK, language: "de-CH", pageSize: 75 }) { theme language pageSize } }',
      );
      expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
      expect(res.data.updatePreferences).to.deep.equal({
        theme: 'DARK',
        language: 'de-CH',
        pageSize: 75,
      });
      const me = await app.graphql(bob, '{ me { preferences { theme language pageSize } } }');
      expect(me.data.me.preferences).to.deep.equal(res.data.updatePreferences);
      const other = await app.graphql(admin, '{ me { preferences { theme pageSize } } }');
      expect(other.data.me.preferences.pageSize).not.to.equal(75);
    });

    it('is refused a page size out of range', async () => {
      const res = await app.graphql(
        bob,
        'mutation { updatePreferences(input: { pageSize: 5 }) { pageSize } }',
      );
      expect(res.errors?.[0]?.message).to.contain('pageSize');
      expect(res.data).to.equal(null);
    });

    it('cannot change a directory password through changePassword', async () => {
      const res = await app.graphql(bob, CHANGE_PASSWORD, {
        current: slapdPassword('bob'),
        next: NEW_PASSWORD,
      });
      expect(errorCode(res)).to.equal('BAD_REQUEST');
    });
  });

  describe('a standard user', () => {
    it('is FORBIDDEN to use setAuthConfig', async () => {
      const res = await app.graphql(
        alice,
        'mutation($s: JSON!) { setAuthConfig(input: { provider: OPENLDAP, settings: $s }) { provider } }',
        { s: {} },
      );
      expect(errorCode(res), JSON.stringify(res.errors)).to.equal('FORBIDDEN');
    });

    it('may start a cluster import, as the built-in user role creates clusters', async () => {
      const res = await app.graphql(
        alice,
        'mutation { createClusterImport(input: { name: "Alice Lab" }) { cluster { name state } } }',
      );
      expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
      expect(res.data.createClusterImport.cluster).to.deep.equal({
        name: 'Alice Lab',
        state: 'PENDING',
      });
    });
  });

  describe('changePassword for the admin', () => {
    it('refuses a wrong current password and keeps the old one', async () => {
      const res = await app.graphql(admin, CHANGE_PASSWORD, {
        current: 'not-the-password',
        next: NEW_PASSWORD,
      });
      expect(res.errors, 'a wrong current password must fail').not.to.equal(undefined);
      expect((await app.login('admin', ADMIN_PASSWORD)).status).to.equal(200);
    });

    it('returns a fresh session; the old password stops working and the new one works', async () => {
      const other = await app.session('admin', ADMIN_PASSWORD);
      // Revocation keeps sessions issued in the same whole second as the change (their iat has
      // whole seconds), so the change is sent only once the clock is past that second.
      const issuedSecond = Math.floor(Date.now() / 1000);
      await waitFor('the clock to pass the second the session was issued in', () =>
        Math.floor(Date.now() / 1000) > issuedSecond ? true : undefined,
      );
      const res = await app.graphql(admin, CHANGE_PASSWORD, {
        current: ADMIN_PASSWORD,
        next: NEW_PASSWORD,
      });
      expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
      const payload = res.data.changePassword;
      expect(payload).to.include({ username: 'admin', mustChangePassword: false });
      expect(payload.token).to.be.a('string').and.not.equal(admin).and.not.equal(other);
      expect(Date.parse(payload.expiresAt)).to.be.greaterThan(Date.now());

      const me = await app.graphql(payload.token, '{ me { username } }');
      expect(me.data.me.username).to.equal('admin');
      expect((await app.login('admin', ADMIN_PASSWORD)).status).to.equal(401);
      expect((await app.login('admin', NEW_PASSWORD)).status).to.equal(200);
      // The admin's other sessions, the calling one included, end with the change.
      for (const old of [other, admin]) {
        const stale = await app.graphql(old, '{ me { username } }');
        expect(errorCode(stale), JSON.stringify(stale)).to.equal('UNAUTHENTICATED');
      }
    });
  });
});
