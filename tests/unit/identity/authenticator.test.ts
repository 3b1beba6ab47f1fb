import { expect } from 'chai';
import type { AuthRequest } from '../../../src/domain/identity.js';
import { ApiKeyService } from '../../../src/identity/api-keys.js';
import { TokenAuthenticator } from '../../../src/identity/authenticator.js';
import type { UserRecord } from '../../../src/identity/collections.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { rejection, type SessionFixture, sessionFixture, settle, testRuntime } from './fixtures.js';

interface Replica {
  readonly f: SessionFixture;
  readonly users: UserRepository;
  readonly apiKeys: ApiKeyService;
  readonly auth: TokenAuthenticator;
}

async function replica(shared?: SessionFixture): Promise<Replica> {
  const f = await sessionFixture(shared ? { store: shared.store, clock: shared.clock } : {});
  const runtime = testRuntime(f.clock);
  const users = new UserRepository(f.store, runtime);
  const apiKeys = new ApiKeyService(f.store, { pepper: Buffer.alloc(32, 5), runtime });
  const auth = new TokenAuthenticator(
    { store: f.store, users, sessions: f.sessions, apiKeys },
    { runtime },
  );
  auth.start();
  return { f, users, apiKeys, auth };
}

const bearer = (token: string): AuthRequest => ({ headers: { authorization: `Bearer ${token}` } });
const basic = (user: string, password: string): AuthRequest => ({
  headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
});

describe('TokenAuthenticator', () => {
  let r: Replica;
  let user: UserRecord;
  beforeEach(async () => {
    r = await replica();
    user = await r.users.create({
      username: 'alice',
      displayName: 'Alice',
      provider: 'openldap',
      principalIds: ['openldap_user://uid=alice,dc=example'],
      groups: [
        {
          id: 'openldap_group://cn=devs,dc=example',
          provider: 'openldap',
          kind: 'group',
          name: 'devs',
        },
      ],
    });
  });
  afterEach(() => r.auth.close());

  it('turns a session bearer token into the user’s identity with user and group principals', async () => {
    const { token, claims } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    const identity = await r.auth.authenticate(bearer(token));
    expect(identity).to.deep.equal({
      userId: user.id,
      username: 'alice',
      displayName: 'Alice',
      provider: 'openldap',
      principalIds: ['openldap_user://uid=alice,dc=example', 'openldap_group://cn=devs,dc=example'],
      groupPrincipalIds: ['openldap_group://cn=devs,dc=example'],
      tokenId: claims.sessionId,
      tokenKind: 'session',
      expiresAt: claims.expiresAt,
      issuedAt: claims.issuedAt,
    });
  });

  it('accepts the session cookie among other cookies', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    const identity = await r.auth.authenticate({
      headers: { cookie: `theme=dark; paddock_session=${token}; x=1` },
    });
    expect(identity.userId).to.equal(user.id);
  });

  it('refuses two session cookies instead of picking one', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    const err = await rejection(
      r.auth.authenticate({ headers: { cookie: `paddock_session=${token}; paddock_session=x` } }),
    );
    expect(err.reason).to.equal('ambiguous_credentials');
  });

  it('accepts an API key as Bearer, as Basic keyId:secret and as a Basic password', async () => {
    const { token, key } = await r.apiKeys.create({
      userId: user.id,
      kind: 'kubeconfig',
      clusterId: 'c-7',
    });
    const [, keyId, secret] = /^pdk_([a-z0-9]+)_(.+)$/.exec(token)!;
    for (const request of [bearer(token), basic(keyId!, secret!), basic('anything', token)]) {
      const identity = await r.auth.authenticate(request);
      expect(identity).to.include({
        userId: user.id,
        tokenId: key.keyId,
        tokenKind: 'kubeconfig',
        provider: 'openldap',
      });
      expect(identity.scope).to.deep.equal({ clusterId: 'c-7' });
    }
  });

  it('names the reason for each unusable request, never crashing', async () => {
    const cases: [AuthRequest, string][] = [
      [{ headers: {} }, 'missing_credentials'],
      [{ headers: { authorization: 'Digest abc' } }, 'unsupported_scheme'],
      [{ headers: { authorization: 'Bearer' } }, 'malformed_authorization'],
      [{ headers: { authorization: 'Basic !!!' } }, 'malformed_authorization'],
      [
        { headers: { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` } },
        'malformed_authorization',
      ],
      [basic('someone', 'password'), 'invalid_api_key'],
      [bearer('pdk_nope'), 'invalid_api_key'],
      [bearer('eyJhbGciOiJub25lIn0.e30.'), 'malformed_token'],
      [bearer('x'.repeat(9000)), 'token_too_large'],
      [{ headers: { authorization: ['Bearer a.b.c', 'Bearer d.e.f'] } }, 'ambiguous_credentials'],
    ];
    for (const [request, reason] of cases) {
      const err = await rejection(r.auth.authenticate(request));
      expect([err.code, err.reason], JSON.stringify(request).slice(0, 80)).to.deep.equal([
        'UNAUTHENTICATED',
        reason,
      ]);
    }
  });

  it('serves a repeated token from memory without reading the store', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    await r.auth.authenticate(bearer(token));
    const reads = r.f.store.reads;
    for (let i = 0; i < 5; i++) await r.auth.authenticate(bearer(token));
    expect(r.f.store.reads).to.equal(reads);
  });

  it('refuses a cached session on every replica once it is logged out anywhere', async () => {
    const other = await replica(r.f);
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    await r.auth.authenticate(bearer(token));
    await other.auth.authenticate(bearer(token));
    await other.f.sessions.logout(token);
    await settle();
    for (const auth of [r.auth, other.auth]) {
      expect((await rejection(auth.authenticate(bearer(token)))).reason).to.equal('token_revoked');
    }
    other.auth.close();
  });

  it('refuses a cached token as soon as its user is disabled', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    const key = await r.apiKeys.create({ userId: user.id });
    await r.auth.authenticate(bearer(token));
    await r.auth.authenticate(bearer(key.token));
    await r.users.disable(user.id, 'provider_revoked');
    await settle();
    expect((await rejection(r.auth.authenticate(bearer(token)))).reason).to.equal('user_disabled');
    expect((await rejection(r.auth.authenticate(bearer(key.token)))).reason).to.equal(
      'user_disabled',
    );
  });

  it('shows a lost group on the next request after the user record changes', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    expect((await r.auth.authenticate(bearer(token))).groupPrincipalIds).to.have.length(1);
    await r.users.mutate(user.id, (u) => ({ ...u, groups: [] }));
    await settle();
    expect((await r.auth.authenticate(bearer(token))).groupPrincipalIds).to.deep.equal([]);
  });

  it('refuses a cached API key once it is revoked or disabled', async () => {
    const a = await r.apiKeys.create({ userId: user.id });
    const b = await r.apiKeys.create({ userId: user.id });
    await r.auth.authenticate(bearer(a.token));
    await r.auth.authenticate(bearer(b.token));
    await r.apiKeys.revoke(a.key.keyId);
    await r.apiKeys.setEnabled(b.key.keyId, false);
    await settle();
    expect((await rejection(r.auth.authenticate(bearer(a.token)))).reason).to.equal(
      'invalid_api_key',
    );
    expect((await rejection(r.auth.authenticate(bearer(b.token)))).reason).to.equal(
      'api_key_disabled',
    );
  });

  it('refuses sessions issued before a sign-out-everywhere but accepts newer ones', async () => {
    const old = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    await r.auth.authenticate(bearer(old.token));
    r.f.clock.advance(1);
    await r.users.revokeAllSessions(user.id);
    const fresh = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    await settle();
    expect((await rejection(r.auth.authenticate(bearer(old.token)))).reason).to.equal(
      'token_revoked',
    );
    await r.auth.authenticate(bearer(fresh.token));
  });

  // Regression: the cut-off was whole seconds, so a session issued earlier in the same second as
  // a password change survived it.
  it('refuses a session issued earlier in the same second as a sign-out-everywhere', async () => {
    r.f.clock.ms = Math.floor(r.f.clock.ms / 1000) * 1000 + 100;
    const old = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    r.f.clock.ms += 300;
    await r.users.revokeAllSessions(user.id);
    r.f.clock.ms += 1;
    const fresh = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    await settle();
    expect((await rejection(r.auth.authenticate(bearer(old.token)))).reason).to.equal(
      'token_revoked',
    );
    await r.auth.authenticate(bearer(fresh.token));
  });

  it('stops serving a cached session once it expires', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    await r.auth.authenticate(bearer(token));
    r.f.clock.advance(3600 + 31);
    expect((await rejection(r.auth.authenticate(bearer(token)))).reason).to.equal('token_expired');
  });

  it('reports a store outage as such rather than as bad credentials', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    r.f.store.setUnavailable(true);
    expect((await rejection(r.auth.authenticate(bearer(token)))).code).to.equal(
      'STORE_UNAVAILABLE',
    );
    r.f.store.setUnavailable(false);
  });

  it('refuses the token of a deleted user', async () => {
    const { token } = await r.f.sessions.create({ userId: user.id, provider: 'openldap' });
    await r.users.collection.delete(user.id);
    expect((await rejection(r.auth.authenticate(bearer(token)))).reason).to.equal('user_not_found');
  });
});
