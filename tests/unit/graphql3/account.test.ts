import { expect } from 'chai';
import { parse } from 'yaml';
import type { PasswordChange } from '../../../src/domain/account.js';
import { PaddockError } from '../../../src/errors/index.js';
import { createPreferencesStore } from '../../../src/identity/preferences-store.js';
import { createKubeconfigIssuer } from '../../../src/server/kubeconfig/kubeconfig-issuer.js';
import { MemoryStore } from '../../support/memory-store.js';
import { createFakePorts, type FakePorts, T0 } from '../graphql/support/fake-ports.js';
import { type GraphQLHarness, startGraphQLHarness } from '../graphql/support/graphql-harness.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBpaddock\n-----END CERTIFICATE-----\n';

describe("the caller's account through GraphQL", () => {
  let harness: GraphQLHarness;
  let ports: FakePorts;
  const changes: { userId: string; newPassword: string }[] = [];

  beforeEach(async () => {
    changes.length = 0;
    const passwordChange: PasswordChange = {
      async changePassword(input) {
        if (input.currentPassword !== 'secret') {
          throw new PaddockError('UNAUTHENTICATED', 'current password is wrong', {
            reason: 'bad_current_password',
          });
        }
        changes.push({ userId: input.userId, newPassword: input.newPassword });
        return {
          token: 'fresh-session',
          userId: input.userId,
          username: 'admin',
          expiresAt: T0 + 7_200_000,
          mustChangePassword: false,
        };
      },
    };
    const base = createFakePorts();
    ports = {
      ...base,
      // Like the built-in user-base role, every user may edit their own preferences.
      authorizer: {
        ...base.authorizer,
        allows: async (identity, request) =>
          (request.verb === 'update' && request.resource === 'preferences') ||
          base.authorizer.allows(identity, request),
      },
      passwordChange,
      preferences: createPreferencesStore(new MemoryStore()),
      kubeconfig: createKubeconfigIssuer({
        clusters: base.clusters,
        apiKeys: base.apiKeys,
        settings: base.settings,
        visibleClusterIds: (identity) => base.authorizer.visibleClusterIds(identity),
        caPem: CA,
        now: () => T0,
      }),
    };
    harness = await startGraphQLHarness({ ports, now: () => T0 });
  });
  afterEach(() => harness.stop());

  it('changes the password and returns a fresh session set as the cookie', async () => {
    const res = await harness.post(
      'mutation { changePassword(currentPassword: "secret", newPassword: "n3w-Passw0rd!") { token userId mustChangePassword } }',
      { token: 't-admin' },
    );
    expect(res.json.errors).to.equal(undefined);
    expect(res.json.data?.changePassword).to.deep.equal({
      token: 'fresh-session',
      userId: 'u-admin',
      mustChangePassword: false,
    });
    expect(String(res.headers['set-cookie'])).to.include('paddock_session=fresh-session');
    expect(changes).to.deep.equal([{ userId: 'u-admin', newPassword: 'n3w-Passw0rd!' }]);
  });

  it('refuses a wrong current password and a caller from a directory provider', async () => {
    const wrong = await harness.post(
      'mutation { changePassword(currentPassword: "nope", newPassword: "x") { token } }',
      { token: 't-admin' },
    );
    expect(wrong.json.errors?.[0]?.extensions?.code).to.equal('UNAUTHENTICATED');
    const ldap = await harness.post(
      'mutation { changePassword(currentPassword: "secret", newPassword: "x") { token } }',
      { token: 't-member' },
    );
    expect(ldap.json.errors?.[0]?.extensions?.code).to.equal('BAD_REQUEST');
    expect(changes).to.have.length(0);
  });

  it('shows default preferences and keeps the ones a user updates, per user', async () => {
    const before = await harness.post('{ me { preferences { theme language pageSize } } }', {
      token: 't-admin',
    });
    expect(before.json.data?.me).to.deep.equal({
      preferences: { theme: 'SYSTEM', language: '', pageSize: 50 },
    });
    const updated = await harness.post(
      'mutation { updatePreferences(input: { theme: DARK, pageSize: 100 }) { theme pageSize language } }',
      { token: 't-admin' },
    );
    expect(updated.json.data?.updatePreferences).to.deep.equal({
      theme: 'DARK',
      pageSize: 100,
      language: '',
    });
    const again = await harness.post(
      'mutation { updatePreferences(input: { language: "de-CH" }) { theme language } }',
      { token: 't-admin' },
    );
    expect(again.json.data?.updatePreferences).to.deep.equal({ theme: 'DARK', language: 'de-CH' });
    const other = await harness.post('{ me { preferences { theme } } }', { token: 't-nobody' });
    expect(other.json.data?.me).to.deep.equal({ preferences: { theme: 'SYSTEM' } });
  });

  it('refuses preferences out of range or naming a cluster the caller cannot see', async () => {
    const size = await harness.post(
      'mutation { updatePreferences(input: { pageSize: 100000 }) { theme } }',
      { token: 't-admin' },
    );
    expect(size.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    const hidden = await harness.post(
      'mutation { updatePreferences(input: { defaultClusterId: "c-two" }) { theme } }',
      { token: 't-member' },
    );
    expect(hidden.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
  });

  it('issues a kubeconfig for the visible clusters with a new kubeconfig token and the CA', async () => {
    const res = await harness.post('mutation { kubeconfig }', { token: 't-member' });
    expect(res.json.errors).to.equal(undefined);
    const config = parse(res.json.data?.kubeconfig as string);
    expect(config.clusters).to.have.length(1);
    expect(config.clusters[0].cluster.server).to.equal(
      'https://paddock.example/k8s/clusters/c-one',
    );
    expect(
      Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
    ).to.equal(CA);
    const key = [...ports.keys.values()][0];
    expect(key).to.include({ userId: 'u-member', kind: 'kubeconfig' });
    // The default TTL setting is 30 days.
    expect(key?.expiresAt).to.equal(T0 + 30 * 24 * 3600 * 1000);
    expect(config.users[0].user.token).to.equal(`pdk_${key?.keyId}_secret`);
  });

  it('scopes the token to the one cluster asked for and refuses clusters the caller cannot see', async () => {
    const one = await harness.post('mutation { kubeconfig(clusterIds: ["c-three"]) }', {
      token: 't-admin',
    });
    expect(one.json.errors).to.equal(undefined);
    expect([...ports.keys.values()][0]?.scope).to.deep.equal({ clusterId: 'c-three' });
    const hidden = await harness.post('mutation { kubeconfig(clusterIds: ["c-two"]) }', {
      token: 't-member',
    });
    expect(hidden.json.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
  });

  it('refuses a kubeconfig to a cluster-scoped key and to a kubeconfig token', async () => {
    const member = ports.tokens.get('t-member')!;
    ports.tokens.set('t-scoped', {
      ...member,
      tokenKind: 'api-key',
      tokenId: 'k-scoped',
      scope: { clusterId: 'c-one' },
    });
    ports.tokens.set('t-kubeconfig', { ...member, tokenKind: 'kubeconfig', tokenId: 'k-kc' });
    for (const [token, reason] of [
      ['t-scoped', 'scoped_key'],
      ['t-kubeconfig', 'kubeconfig_token'],
    ] as const) {
      const res = await harness.post('mutation { kubeconfig }', { token });
      expect(res.json.errors?.[0]?.extensions, token).to.include({ code: 'FORBIDDEN', reason });
    }
    expect(ports.keys.size).to.equal(0);
  });

  it('asks for a token bound to the API key it is issued with, replacing the last one', async () => {
    ports.tokens.set('t-key', {
      ...ports.tokens.get('t-member')!,
      tokenKind: 'api-key',
      tokenId: 'k-parent',
    });
    await harness.post('mutation { kubeconfig(clusterIds: ["c-one"]) }', { token: 't-key' });
    await harness.post('mutation { kubeconfig }', { token: 't-member' });
    expect(
      ports.createdWith.map((r) => [r.parentKeyId, r.clusterSet, r.replacePrevious]),
    ).to.deep.equal([
      ['k-parent', 'c-one', true],
      [undefined, '*', true],
    ]);
  });
});
