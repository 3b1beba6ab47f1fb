import { expect } from 'chai';
import { createOutboundGuard } from '../../../src/datasources/outbound-guard.js';
import { DEFAULT_OUTBOUND_DENIED_NETWORKS } from '../../../src/domain/outbound-guard.js';
import type { PasswordProvider } from '../../../src/domain/password-provider.js';
import { PaddockError } from '../../../src/errors/index.js';
import { createAuthConfigAdmin } from '../../../src/identity/auth-config-admin.js';
import { AuthConfigStore } from '../../../src/identity/auth-configs.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import { MemoryStore } from '../../support/memory-store.js';
import { createFakePorts } from '../graphql/support/fake-ports.js';
import { type GraphQLHarness, startGraphQLHarness } from '../graphql/support/graphql-harness.js';

/** An LDAP-shaped provider that accepts alice/wonder when its bind password is `bind-pw`. */
function fakeLdap(settings: Record<string, unknown>): PasswordProvider {
  const account = settings.serviceAccount as { password?: string } | undefined;
  if (typeof settings.url !== 'string') throw new PaddockError('CONFIG_INVALID', 'url is required');
  return {
    name: 'openldap',
    async login(username, password) {
      if (account?.password !== 'bind-pw') {
        throw new PaddockError('UPSTREAM_UNAVAILABLE', 'bind failed: invalid credentials');
      }
      if (username !== 'alice' || password !== 'wonder') {
        throw new PaddockError('UNAUTHENTICATED', 'invalid username or password');
      }
      return {
        user: {
          id: 'openldap_user://uid=alice',
          provider: 'openldap',
          kind: 'user',
          name: 'alice',
        },
        groups: [
          { id: 'openldap_group://cn=devs', provider: 'openldap', kind: 'group', name: 'devs' },
        ],
      };
    },
    async searchPrincipals() {
      return [];
    },
    async refreshGroups() {
      return { status: 'ok', groups: [] };
    },
  };
}

const SET = `mutation($input: SetAuthConfigInput!) { setAuthConfig(input: $input) {
  provider enabled accessMode allowedPrincipalIds settings secretsSet } }`;
const TEST = `mutation($input: TestAuthConfigInput!) { testAuthConfig(input: $input) {
  ok code message user { id } groups { name } } }`;

describe('auth provider configuration through GraphQL', () => {
  let harness: GraphQLHarness;
  let configs: AuthConfigStore;

  beforeEach(async () => {
    configs = new AuthConfigStore(new MemoryStore(), new AesGcmSecretBox(Buffer.alloc(32, 3)));
    const authConfigAdmin = createAuthConfigAdmin({
      configs,
      factoryFor: (name) => (name === 'openldap' ? fakeLdap : undefined),
    });
    harness = await startGraphQLHarness({ ports: { ...createFakePorts(), authConfigAdmin } });
  });
  afterEach(() => harness.stop());

  const ldapSettings = {
    url: 'ldap://127.0.0.1:1389',
    serviceAccount: { dn: 'cn=admin', password: 'bind-pw' },
  };

  it('saves a provider config and answers with which secrets are set, never their values', async () => {
    const res = await harness.post(SET, {
      token: 't-admin',
      variables: {
        input: {
          provider: 'OPENLDAP',
          enabled: true,
          accessMode: 'REQUIRED',
          allowedPrincipalIds: ['openldap_group://cn=devs'],
          settings: ldapSettings,
        },
      },
    });
    expect(res.json.errors).to.equal(undefined);
    expect(res.json.data?.setAuthConfig).to.deep.equal({
      provider: 'OPENLDAP',
      enabled: true,
      accessMode: 'REQUIRED',
      allowedPrincipalIds: ['openldap_group://cn=devs'],
      settings: { url: 'ldap://127.0.0.1:1389', serviceAccount: { dn: 'cn=admin' } },
      secretsSet: ['serviceAccount.password'],
    });
    const listed = await harness.post('{ authConfigs { provider secretsSet settings } }', {
      token: 't-admin',
    });
    expect(listed.body).not.to.include('bind-pw');
    expect(listed.json.data?.authConfigs).to.have.length(1);
  });

  it('tests unsaved settings with a login and returns the principals found', async () => {
    const res = await harness.post(TEST, {
      token: 't-admin',
      variables: {
        input: {
          provider: 'OPENLDAP',
          settings: ldapSettings,
          username: 'alice',
          password: 'wonder',
        },
      },
    });
    expect(res.json.data?.testAuthConfig).to.deep.include({
      ok: true,
      code: null,
      user: { id: 'openldap_user://uid=alice' },
      groups: [{ name: 'devs' }],
    });
    expect(await configs.list()).to.have.length(0);
  });

  it('reports a failing test as data with the code and the reason', async () => {
    const wrong = await harness.post(TEST, {
      token: 't-admin',
      variables: {
        input: { provider: 'OPENLDAP', settings: ldapSettings, username: 'alice', password: 'x' },
      },
    });
    expect(wrong.json.data?.testAuthConfig).to.deep.include({ ok: false, code: 'UNAUTHENTICATED' });
    const broken = await harness.post(TEST, {
      token: 't-admin',
      variables: { input: { provider: 'OPENLDAP', settings: {}, username: 'a', password: 'b' } },
    });
    expect(broken.json.data?.testAuthConfig).to.deep.include({
      ok: false,
      code: 'CONFIG_INVALID',
      message: 'url is required',
    });
  });

  it('tests with the stored bind password when the settings leave it out', async () => {
    await configs.put({ provider: 'openldap', settings: ldapSettings });
    const res = await harness.post(TEST, {
      token: 't-admin',
      variables: {
        input: {
          provider: 'OPENLDAP',
          settings: { url: 'ldap://127.0.0.1:1389', serviceAccount: { dn: 'cn=admin' } },
          username: 'alice',
          password: 'wonder',
        },
      },
    });
    expect(res.json.data?.testAuthConfig).to.deep.include({ ok: true });
  });

  it('keeps the stored secret when a later set leaves it out, and deletes the config', async () => {
    await configs.put({ provider: 'openldap', settings: ldapSettings });
    const res = await harness.post(SET, {
      token: 't-admin',
      variables: {
        input: { provider: 'OPENLDAP', enabled: false, settings: { url: 'ldap://other:389' } },
      },
    });
    expect(res.json.data?.setAuthConfig).to.deep.include({
      enabled: false,
      secretsSet: ['serviceAccount.password'],
    });
    const del = await harness.post('mutation { deleteAuthConfig(provider: OPENLDAP) }', {
      token: 't-admin',
    });
    expect(del.json.data?.deleteAuthConfig).to.equal(true);
    expect(await configs.list()).to.have.length(0);
  });

  it('refuses settings that are not a JSON object', async () => {
    const res = await harness.post(SET, {
      token: 't-admin',
      variables: { input: { provider: 'OPENLDAP', settings: [1, 2] } },
    });
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
  });

  it('forbids reading and changing auth configs to a plain user', async () => {
    for (const query of [
      '{ authConfigs { provider } }',
      'mutation { deleteAuthConfig(provider: OPENLDAP) }',
      'mutation { testAuthConfig(input: { provider: OPENLDAP, settings: {}, username: "a", password: "b" }) { ok } }',
      'mutation { setAuthConfig(input: { provider: OPENLDAP, settings: {} }) { provider } }',
    ]) {
      const res = await harness.post(query, { token: 't-member' });
      expect(res.json.errors?.[0]?.extensions?.code, query).to.equal('FORBIDDEN');
    }
  });
});

describe('testing a directory config against the outbound network settings', () => {
  const built: Record<string, unknown>[] = [];
  const recordingLdap = (settings: Record<string, unknown>): PasswordProvider => {
    built.push(settings);
    return {
      ...fakeLdap({ ...settings, url: 'ldap://x', serviceAccount: { password: 'bind-pw' } }),
      async login() {
        throw new PaddockError('UPSTREAM_UNAVAILABLE', 'directory server unavailable', {
          details: { attempts: ['127.0.0.1:1389: tls'] },
        });
      },
    };
  };
  const admin = () =>
    createAuthConfigAdmin({
      configs: new AuthConfigStore(new MemoryStore(), new AesGcmSecretBox(Buffer.alloc(32, 3))),
      factoryFor: (name) => (name === 'openldap' ? recordingLdap : undefined),
      outbound: createOutboundGuard({
        networks: async () => ({ allowed: '', denied: DEFAULT_OUTBOUND_DENIED_NETWORKS }),
      }),
    });

  beforeEach(() => {
    built.length = 0;
  });

  it('refuses a server in a denied network without building the provider', async () => {
    const result = await admin().test({
      provider: 'openldap',
      settings: { servers: ['10.0.0.1:389', '[fe80::1]:636', '169.254.169.254:389'] },
      username: 'a',
      password: 'b',
    });
    expect(result).to.deep.include({ ok: false, code: 'FORBIDDEN' });
    expect(built).to.deep.equal([]);
  });

  it('pins servers to their checked address when nothing else ties the connection to the name', async () => {
    await admin().test({
      provider: 'openldap',
      settings: { servers: ['localhost:1389'], tls: { mode: 'none' } },
      username: 'a',
      password: 'b',
    });
    expect(built[0]?.servers).to.be.an('array').with.length(1);
    expect((built[0]?.servers as string[] | undefined)?.[0]).to.match(
      /^(127\.0\.0\.1:1389|\[::1\]:1389)$/,
    );
    await admin().test({
      provider: 'openldap',
      settings: { servers: ['localhost:1636'], tls: { mode: 'ldaps' } },
      username: 'a',
      password: 'b',
    });
    expect(built[1]?.servers).to.deep.equal(['localhost:1636']);
  });

  it('says only "cannot reach endpoint" when the server could not be used, keeping the detail aside', async () => {
    const result = await admin().test({
      provider: 'openldap',
      settings: { servers: ['127.0.0.1:1389'] },
      username: 'a',
      password: 'b',
    });
    expect(result).to.deep.equal({
      ok: false,
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'cannot reach endpoint',
      detail: 'directory server unavailable',
    });
  });
});
