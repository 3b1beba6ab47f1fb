import { expect } from 'chai';
import {
  getSlapd,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  type SlapdFixture,
  slapdPassword,
} from '../../support/slapd.js';
import { waitFor } from '../../support/wait-for.js';
import {
  ADMIN_PASSWORD,
  type AdminPaddock,
  errorCode,
  startAdminPaddock,
} from './support/admin-graphql.js';

const AUTH_CONFIG_FIELDS =
  'provider enabled accessMode allowedPrincipalIds settings secretsSet updatedAt';

const TEST_AUTH_CONFIG = `mutation($input: TestAuthConfigInput!) {
  testAuthConfig(input: $input) {
    ok code message
    user { id kind name provider }
    groups { id kind name provider }
  }
}`;

describe('GraphQL identity provider configuration on a running Paddock', function () {
  this.timeout(120_000);
  let slapd: SlapdFixture;
  let app: AdminPaddock;
  let token: string;

  const settings = () => ({
    servers: [`127.0.0.1:${slapd.ldapsPort}`],
    tls: { mode: 'ldaps', caPem: slapd.caPem },
    serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
    users: { searchBase: SLAPD_PEOPLE },
    groups: { searchBase: SLAPD_GROUPS },
  });

  before(async () => {
    slapd = await getSlapd();
    app = await startAdminPaddock('graphql-admin-auth');
    token = await app.session('admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await app?.stop();
  });

  it('tests OpenLDAP settings against slapd and answers the user and its groups', async () => {
    const res = await app.graphql(token, TEST_AUTH_CONFIG, {
      input: {
        provider: 'OPENLDAP',
        settings: settings(),
        username: 'alice',
        password: slapdPassword('alice'),
      },
    });
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    const result = res.data.testAuthConfig;
    expect(result.ok, result.message).to.equal(true);
    expect(result.code).to.equal(null);
    expect(result.user).to.include({
      id: `openldap_user://uid=alice,${SLAPD_PEOPLE}`,
      kind: 'USER',
      provider: 'OPENLDAP',
    });
    expect(result.groups.map((g: { id: string }) => g.id)).to.include(
      `openldap_group://cn=engineering,${SLAPD_GROUPS}`,
    );
  });

  it('answers a wrong password as data, not as a GraphQL error', async () => {
    const res = await app.graphql(token, TEST_AUTH_CONFIG, {
      input: { provider: 'OPENLDAP', settings: settings(), username: 'alice', password: 'nope' },
    });
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    const result = res.data.testAuthConfig;
    expect(result.ok).to.equal(false);
    expect(result.code).to.be.a('string').and.not.equal('');
    expect(result.message).to.be.a('string').and.not.equal('');
    expect(result.user).to.equal(null);
    expect(result.groups).to.deep.equal([]);
  });

  it('saves nothing while testing: authConfigs stays empty and OpenLDAP logins fail', async () => {
    const res = await app.graphql(token, `{ authConfigs { ${AUTH_CONFIG_FIELDS} } }`);
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.data.authConfigs).to.deep.equal([]);
    const login = await app.login('alice', slapdPassword('alice'), 'openldap');
    expect(login.status, login.body).not.to.equal(200);
  });

  it('saves the settings with setAuthConfig and answers secrets only as secretsSet', async () => {
    const res = await app.graphql(
      token,
      `mutation($input: SetAuthConfigInput!) { setAuthConfig(input: $input) { ${AUTH_CONFIG_FIELDS} } }`,
      {
        input: {
          provider: 'OPENLDAP',
          enabled: true,
          accessMode: 'UNRESTRICTED',
          settings: settings(),
        },
      },
    );
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    const saved = res.data.setAuthConfig;
    expect(saved).to.include({ provider: 'OPENLDAP', enabled: true, accessMode: 'UNRESTRICTED' });
    expect(saved.secretsSet).to.include('serviceAccount.password');
    expect(saved.settings.serviceAccount).to.deep.equal({ bindDn: SLAPD_SERVICE_DN });
    const listed = await app.graphql(token, `{ authConfigs { ${AUTH_CONFIG_FIELDS} } }`);
    expect(listed.data.authConfigs).to.deep.equal([saved]);
    for (const body of app.bodies.slice(-2)) expect(body).not.to.contain(SLAPD_SERVICE_PASSWORD);
  });

  it('logs an OpenLDAP user in at /v1/auth/login without a restart', async () => {
    // Replicas pick the saved configuration up from the store: poll, no restart.
    const res = await waitFor(
      'an OpenLDAP login to succeed',
      async () => {
        const r = await app.login('alice', slapdPassword('alice'), 'openldap');
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    const me = await app.graphql(JSON.parse(res.body).token, '{ me { username provider } }');
    expect(me.data.me).to.deep.equal({ username: 'alice', provider: 'OPENLDAP' });
  });

  it('deletes the configuration with deleteAuthConfig, after which OpenLDAP logins fail', async () => {
    const res = await app.graphql(token, 'mutation { deleteAuthConfig(provider: OPENLDAP) }');
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.data.deleteAuthConfig).to.equal(true);
    expect(
      (await app.graphql(token, '{ authConfigs { provider } }')).data.authConfigs,
    ).to.deep.equal([]);
    await waitFor(
      'OpenLDAP logins to stop working',
      async () => {
        const r = await app.login('alice', slapdPassword('alice'), 'openldap');
        return r.status === 200 ? undefined : r;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    const again = await app.graphql(token, 'mutation { deleteAuthConfig(provider: OPENLDAP) }');
    expect(again.data.deleteAuthConfig).to.equal(false);
  });

  it('refuses testAuthConfig to an anonymous caller', async () => {
    const res = await app.graphql('not-a-token', TEST_AUTH_CONFIG, {
      input: { provider: 'OPENLDAP', settings: settings(), username: 'a', password: 'b' },
    });
    expect(errorCode(res)).to.equal('UNAUTHENTICATED');
  });
});
