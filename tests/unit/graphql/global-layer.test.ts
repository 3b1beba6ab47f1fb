import { expect } from 'chai';
import { type GraphQLHarness, startGraphQLHarness } from './support/graphql-harness.js';

describe('GraphQL global layer', () => {
  let h: GraphQLHarness;
  before(async () => {
    h = await startGraphQLHarness({ now: () => Date.UTC(2025, 0, 1) });
  });
  after(async () => {
    await h.stop();
  });

  const ids = (list: unknown) => (list as { items: { id: string }[] }).items.map((i) => i.id);

  describe('me', () => {
    it('shows the caller with its own principals and named groups', async () => {
      const res = await h.post(
        '{ me { id username displayName provider tokenKind principals { id kind } groups { id name provider } } }',
        { token: 't-member' },
      );
      expect(res.json.data?.me).to.deep.equal({
        id: 'u-member',
        username: 'member',
        displayName: 'MEMBER',
        provider: 'OPENLDAP',
        tokenKind: 'SESSION',
        principals: [
          { id: 'openldap_user://uid=member,ou=people,dc=example,dc=org', kind: 'USER' },
          { id: 'openldap_group://cn=devs,ou=groups,dc=example,dc=org', kind: 'GROUP' },
        ],
        groups: [
          {
            id: 'openldap_group://cn=devs,ou=groups,dc=example,dc=org',
            name: 'devs',
            provider: 'OPENLDAP',
          },
        ],
      });
    });

    it('refuses an anonymous caller with UNAUTHENTICATED and status 401', async () => {
      const res = await h.post('{ me { id } }');
      expect(res.status).to.equal(401);
      expect(res.json.errors?.[0]?.extensions).to.include({ code: 'UNAUTHENTICATED' });
      expect(res.json.data).to.equal(undefined);
    });
  });

  describe('clusters', () => {
    it('shows an admin every cluster sorted by name', async () => {
      const res = await h.post(
        '{ clusters { items { id } totalCount clusterErrors { clusterId } } }',
        {
          token: 't-admin',
        },
      );
      expect(ids(res.json.data?.clusters)).to.deep.equal(['c-one', 'c-three', 'c-two']);
      expect(res.json.data?.clusters).to.deep.include({ totalCount: 3, clusterErrors: [] });
    });

    it('shows a cluster member only that cluster', async () => {
      const res = await h.post('{ clusters { items { id } } }', { token: 't-member' });
      expect(ids(res.json.data?.clusters)).to.deep.equal(['c-one']);
    });

    it('shows a user without bindings no cluster at all', async () => {
      const res = await h.post('{ clusters { items { id } totalCount } }', { token: 't-nobody' });
      expect(res.json.data?.clusters).to.deep.equal({ items: [], totalCount: 0 });
    });

    it('answers null for a cluster the caller may not see, as for one that does not exist', async () => {
      const hidden = await h.post('{ cluster(id: "c-two") { id } }', { token: 't-member' });
      const missing = await h.post('{ cluster(id: "c-nope") { id } }', { token: 't-member' });
      expect(hidden.json).to.deep.equal({ data: { cluster: null } });
      expect(missing.json).to.deep.equal({ data: { cluster: null } });
    });

    it('shows health from the background probe', async () => {
      const res = await h.post(
        '{ cluster(id: "c-two") { name state health { state kubernetesVersion nodeCount readyNodeCount checkedAt } } }',
        { token: 't-admin' },
      );
      expect(res.json.data?.cluster).to.deep.equal({
        name: 'two',
        state: 'UNAVAILABLE',
        health: {
          state: 'UNAVAILABLE',
          kubernetesVersion: 'v1.31.0',
          nodeCount: 3,
          readyNodeCount: 3,
          checkedAt: '2025-01-01T00:00:00.000Z',
        },
      });
    });

    it('filters by state and name and pages with a cursor', async () => {
      const filtered = await h.post(
        '{ clusters(filter: { states: [ACTIVE], nameContains: "O" }) { items { id } } }',
        { token: 't-admin' },
      );
      expect(ids(filtered.json.data?.clusters)).to.deep.equal(['c-one']);
      const first = await h.post(
        '{ clusters(first: 2) { items { id } pageInfo { endCursor hasNextPage } } }',
        {
          token: 't-admin',
        },
      );
      const page = first.json.data?.clusters as {
        pageInfo: { endCursor: string; hasNextPage: boolean };
      };
      expect(page.pageInfo.hasNextPage).to.equal(true);
      const second = await h.post(
        'query($after: String) { clusters(first: 2, after: $after) { items { id } pageInfo { hasNextPage } } }',
        { token: 't-admin', variables: { after: page.pageInfo.endCursor } },
      );
      expect(ids(second.json.data?.clusters)).to.deep.equal(['c-two']);
    });

    it('limits an API key scoped to one cluster to that cluster', async () => {
      h.ports.tokens.set('t-scoped', {
        ...(h.ports.tokens.get('t-admin') ?? ({} as never)),
        tokenKind: 'api-key',
        scope: { clusterId: 'c-three' },
      });
      const res = await h.post('{ clusters { items { id } } me { scopeClusterId tokenKind } }', {
        token: 't-scoped',
      });
      expect(ids(res.json.data?.clusters)).to.deep.equal(['c-three']);
      expect(res.json.data?.me).to.deep.equal({ scopeClusterId: 'c-three', tokenKind: 'API_KEY' });
    });
  });

  describe('users', () => {
    it('lists users for a caller with users-view', async () => {
      const res = await h.post('{ users { items { id username } totalCount } }', {
        token: 't-admin',
      });
      expect(res.json.data?.users).to.deep.equal({
        items: [
          { id: 'u-admin', username: 'admin' },
          { id: 'u-member', username: 'member' },
          { id: 'u-nobody', username: 'nobody' },
        ],
        totalCount: 3,
      });
    });

    it('refuses the user list to a caller not allowed to list users with FORBIDDEN', async () => {
      const res = await h.post('{ users { totalCount } }', { token: 't-nobody' });
      expect(res.json.data).to.equal(null);
      expect(res.json.errors?.[0]?.extensions).to.include({
        code: 'FORBIDDEN',
        reason: 'missing_permission',
      });
    });

    it('shows callers their own user but not somebody else', async () => {
      const own = await h.post('{ user(id: "u-nobody") { username email } }', {
        token: 't-nobody',
      });
      const other = await h.post('{ user(id: "u-admin") { username } }', { token: 't-nobody' });
      expect(own.json.data?.user).to.deep.equal({
        username: 'nobody',
        email: 'nobody@example.org',
      });
      expect(other.json.data?.user).to.equal(null);
    });

    it('filters users by provider', async () => {
      const res = await h.post('{ users(filter: { provider: OPENLDAP }) { items { username } } }', {
        token: 't-admin',
      });
      expect(res.json.data?.users).to.deep.equal({ items: [{ username: 'member' }] });
    });
  });

  describe('principals', () => {
    it('finds users and groups by name', async () => {
      const res = await h.post('{ principals(search: "dev") { id kind name } }', {
        token: 't-nobody',
      });
      expect(res.json.data?.principals).to.deep.equal([
        { id: 'openldap_group://cn=devs,ou=groups,dc=example,dc=org', kind: 'GROUP', name: 'devs' },
      ]);
    });

    it('refuses an empty search with BAD_USER_INPUT', async () => {
      const res = await h.post('{ principals(search: "  ") { id } }', { token: 't-nobody' });
      expect(res.json.errors?.[0]?.extensions).to.include({ code: 'BAD_USER_INPUT' });
    });
  });

  describe('API keys', () => {
    it('creates, lists and revokes the caller’s own keys', async () => {
      const created = await h.post(
        'mutation { createApiKey(input: { description: "ci", clusterId: "c-one" }) { token key { keyId description clusterId kind } } }',
        { token: 't-member' },
      );
      const payload = created.json.data?.createApiKey as { token: string; key: { keyId: string } };
      expect(payload.token).to.match(/^pdk_/);
      expect(payload.key).to.deep.include({
        description: 'ci',
        clusterId: 'c-one',
        kind: 'API_KEY',
      });
      const listed = await h.post('{ apiKeys { keyId } }', { token: 't-member' });
      expect(listed.json.data?.apiKeys).to.deep.equal([{ keyId: payload.key.keyId }]);
      const othersView = await h.post('{ apiKeys { keyId } }', { token: 't-nobody' });
      expect(othersView.json.data?.apiKeys).to.deep.equal([]);
      const stolen = await h.post(`mutation { revokeApiKey(keyId: "${payload.key.keyId}") }`, {
        token: 't-nobody',
      });
      expect(stolen.json.data?.revokeApiKey).to.equal(false);
      const revoked = await h.post(`mutation { revokeApiKey(keyId: "${payload.key.keyId}") }`, {
        token: 't-member',
      });
      expect(revoked.json.data?.revokeApiKey).to.equal(true);
    });

    it('refuses a key for a cluster the caller may not see', async () => {
      const res = await h.post(
        'mutation { createApiKey(input: { clusterId: "c-two" }) { token } }',
        { token: 't-member' },
      );
      expect(res.json.errors?.[0]?.extensions).to.include({ code: 'NOT_FOUND' });
    });

    it("refuses a cluster-scoped key that asks to mint, list or revoke its owner's keys", async () => {
      h.ports.tokens.set('t-member-scoped', {
        ...(h.ports.tokens.get('t-member') ?? ({} as never)),
        tokenKind: 'api-key',
        tokenId: 'scoped-key',
        scope: { clusterId: 'c-one' },
      });
      const other = await h.post('mutation { createApiKey(input: {}) { key { keyId } } }', {
        token: 't-member',
      });
      const created = other.json.data as { createApiKey: { key: { keyId: string } } };
      const otherId = created.createApiKey.key.keyId;
      const attempts = [
        'mutation { createApiKey(input: {}) { token } }',
        'mutation { createApiKey(input: { clusterId: "c-one" }) { token } }',
        '{ apiKeys { keyId } }',
        `mutation { revokeApiKey(keyId: "${otherId}") }`,
      ];
      for (const query of attempts) {
        const res = await h.post(query, { token: 't-member-scoped' });
        expect(res.json.errors?.[0]?.extensions, query).to.include({
          code: 'FORBIDDEN',
          reason: 'scoped_key',
        });
      }
      expect(h.ports.keys.has(otherId)).to.equal(true);
      expect(h.ports.keys.size).to.equal(1);
    });

    it('records the API key a new key was made with as its parent', async () => {
      h.ports.tokens.set('t-member-key', {
        ...(h.ports.tokens.get('t-member') ?? ({} as never)),
        tokenKind: 'api-key',
        tokenId: 'parent-key',
      });
      const res = await h.post('mutation { createApiKey(input: {}) { key { keyId } } }', {
        token: 't-member-key',
      });
      expect(res.json.errors).to.equal(undefined);
      expect(h.ports.createdWith.at(-1)).to.include({ parentKeyId: 'parent-key' });
    });
  });

  describe('login and logout', () => {
    const login = (password: string) =>
      h.post(
        `mutation { login(input: { provider: "local", username: "member", password: "${password}" }) { token userId expiresAt } }`,
      );

    it('lets an anonymous caller log in and sets the session cookie', async () => {
      const res = await login('secret');
      const data = res.json.data?.login as { token: string; userId: string; expiresAt: string };
      expect(data.userId).to.equal('u-member');
      expect(data.expiresAt).to.equal('2025-01-01T01:00:00.000Z');
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).to.include(`paddock_session=${data.token}`);
      expect(cookie).to.include('HttpOnly').and.include('SameSite=Lax').and.include('Max-Age=3600');
      const me = await h.post('{ me { id } }', {
        headers: { cookie: `paddock_session=${data.token}` },
      });
      expect(me.json.data?.me).to.deep.equal({ id: 'u-member' });
    });

    it('answers a wrong password with UNAUTHENTICATED and sets no cookie', async () => {
      const res = await login('wrong');
      expect(res.json.errors?.[0]?.extensions).to.include({
        code: 'UNAUTHENTICATED',
        reason: 'bad_credentials',
      });
      expect(res.headers['set-cookie']).to.equal(undefined);
    });

    it('logs out the session the request used and clears the cookie', async () => {
      const loggedIn = (await login('secret')).json.data;
      const token = (loggedIn?.login as { token: string } | undefined)?.token ?? '';
      const res = await h.post('mutation { logout }', { token });
      expect(res.json.data?.logout).to.equal(true);
      expect(h.ports.loggedOut).to.include(token);
      expect(String(res.headers['set-cookie']))
        .to.include('paddock_session=;')
        .and.include('Max-Age=0');
      const after = await h.post('{ me { id } }', { token });
      expect(after.status).to.equal(401);
    });
  });

  describe('a user who must change the password', () => {
    before(() => {
      h.ports.tokens.set('t-must-change', {
        ...(h.ports.tokens.get('t-nobody') ?? ({} as never)),
        mustChangePassword: true,
      });
    });

    it('may ask who it is and log out', async () => {
      const res = await h.post('{ me { id mustChangePassword } }', { token: 't-must-change' });
      expect(res.json.data?.me).to.deep.equal({ id: 'u-nobody', mustChangePassword: true });
    });

    it('may do nothing else until the password changed', async () => {
      const res = await h.post('{ me { id } settings { name } }', { token: 't-must-change' });
      expect(res.status).to.equal(403);
      expect(res.json.errors?.[0]?.extensions).to.include({
        code: 'FORBIDDEN',
        reason: 'must_change_password',
      });
    });
  });

  describe('a caller without any global role', () => {
    before(() => {
      h.ports.tokens.set('t-guest', {
        ...(h.ports.tokens.get('t-nobody') ?? ({} as never)),
        userId: 'u-guest',
      });
    });

    it('may still ask who it is', async () => {
      const res = await h.post('{ me { id } }', { token: 't-guest' });
      expect(res.json.data?.me).to.deep.equal({ id: 'u-guest' });
    });

    it('may not read settings, search principals or create API keys', async () => {
      for (const query of [
        '{ settings { name } }',
        '{ principals(search: "a") { id } }',
        'mutation { createApiKey(input: {}) { token } }',
      ]) {
        const res = await h.post(query, { token: 't-guest' });
        expect(res.json.errors?.[0]?.extensions, query).to.include({
          code: 'FORBIDDEN',
          reason: 'missing_permission',
        });
      }
    });
  });

  describe('settings', () => {
    it('lists settings sorted by name', async () => {
      const res = await h.post('{ settings { name value source readOnly } }', {
        token: 't-nobody',
      });
      expect(res.json.data?.settings).to.deep.equal([
        { name: 'server-url', value: 'https://paddock.example', source: 'CONFIG', readOnly: true },
        { name: 'ui-banner', value: 'hello', source: 'STORE', readOnly: false },
      ]);
    });
  });
});
