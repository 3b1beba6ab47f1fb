import { expect } from 'chai';
import type { AuthRequest } from '../../../src/domain/identity.js';
import { ApiKeyService } from '../../../src/identity/api-keys.js';
import { TokenAuthenticator } from '../../../src/identity/authenticator.js';
import type { UserRecord } from '../../../src/identity/collections.js';
import {
  type ProviderAccess,
  ProviderDispatcher,
  UNRESTRICTED,
} from '../../../src/identity/provider-dispatcher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { FakeDirectory } from './fake-directory.js';
import { rejection, type SessionFixture, sessionFixture, testRuntime } from './fixtures.js';

const DEVS = 'openldap_group://cn=devs,dc=example';
const bearer = (token: string): AuthRequest => ({ headers: { authorization: `Bearer ${token}` } });

describe('TokenAuthenticator and the provider’s access mode', () => {
  let f: SessionFixture;
  let providers: ProviderDispatcher;
  let members: Set<string>;
  let auth: TokenAuthenticator;
  let apiKeys: ApiKeyService;
  let user: UserRecord;
  const directory = new FakeDirectory();
  const setAccess = (access: ProviderAccess) => providers.register({ provider: directory, access });

  beforeEach(async () => {
    f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    const users = new UserRepository(f.store, runtime);
    apiKeys = new ApiKeyService(f.store, { pepper: Buffer.alloc(32, 5), runtime });
    providers = new ProviderDispatcher();
    setAccess(UNRESTRICTED);
    members = new Set();
    auth = new TokenAuthenticator(
      {
        store: f.store,
        users,
        sessions: f.sessions,
        apiKeys,
        access: {
          providers,
          hasAnyMembership: async (ids) => ids.some((id) => members.has(id)),
        },
      },
      { runtime },
    );
    auth.start();
    user = await users.create({
      username: 'alice',
      provider: 'openldap',
      principalIds: ['openldap_user://uid=alice,dc=example'],
      groups: [{ id: DEVS, provider: 'openldap', kind: 'group', name: 'devs' }],
    });
  });
  afterEach(() => auth.close());

  it('refuses a cached session and key once the access mode no longer admits the user', async () => {
    const session = await f.sessions.create({ userId: user.id, provider: 'openldap' });
    const key = await apiKeys.create({ userId: user.id });
    setAccess({ accessMode: 'required', allowedPrincipalIds: [DEVS] });
    await auth.authenticate(bearer(session.token));
    await auth.authenticate(bearer(key.token));

    setAccess({ accessMode: 'required', allowedPrincipalIds: ['openldap_group://cn=ops'] });

    for (const token of [session.token, key.token]) {
      const err = await rejection(auth.authenticate(bearer(token)));
      expect([err.code, err.reason]).to.deep.equal(['UNAUTHENTICATED', 'access_revoked']);
    }
  });

  it('admits the user again once the access mode does', async () => {
    const key = await apiKeys.create({ userId: user.id });
    setAccess({ accessMode: 'required', allowedPrincipalIds: [] });
    await rejection(auth.authenticate(bearer(key.token)));
    setAccess({ accessMode: 'required', allowedPrincipalIds: [user.id] });
    expect((await auth.authenticate(bearer(key.token))).userId).to.equal(user.id);
  });

  it('refuses the credentials of a user whose provider was switched off', async () => {
    const key = await apiKeys.create({ userId: user.id });
    await auth.authenticate(bearer(key.token));
    providers.unregister('openldap');
    expect((await rejection(auth.authenticate(bearer(key.token)))).reason).to.equal(
      'provider_disabled',
    );
  });

  it('refuses a restricted-mode user whose last membership went, once access changes are announced', async () => {
    members.add(DEVS);
    setAccess({ accessMode: 'restricted', allowedPrincipalIds: [] });
    const key = await apiKeys.create({ userId: user.id });
    await auth.authenticate(bearer(key.token));

    members.clear();
    // Memberships are asked once per identity until something announces a change.
    await auth.authenticate(bearer(key.token));
    auth.accessChanged();

    expect((await rejection(auth.authenticate(bearer(key.token)))).reason).to.equal(
      'access_revoked',
    );
  });

  it('asks about memberships once per identity until access changes, not on every request', async () => {
    let asked = 0;
    members.add(DEVS);
    const check = async (ids: readonly string[]) => {
      asked += 1;
      return ids.some((id) => members.has(id));
    };
    const counting = new TokenAuthenticator(
      {
        store: f.store,
        users: new UserRepository(f.store, testRuntime(f.clock)),
        sessions: f.sessions,
        apiKeys,
        access: { providers, hasAnyMembership: check },
      },
      { runtime: testRuntime(f.clock) },
    );
    counting.start();
    setAccess({ accessMode: 'restricted', allowedPrincipalIds: [] });
    const key = await apiKeys.create({ userId: user.id });
    for (let i = 0; i < 5; i++) await counting.authenticate(bearer(key.token));
    expect(asked).to.equal(1);
    counting.accessChanged();
    await counting.authenticate(bearer(key.token));
    expect(asked).to.equal(2);
    counting.close();
  });

  it('tells its listeners when the providers’ access rules change', () => {
    let told = 0;
    const stop = auth.onAccessChange(() => {
      told += 1;
    });
    setAccess({ accessMode: 'required', allowedPrincipalIds: [] });
    providers.unregister('openldap');
    stop();
    setAccess(UNRESTRICTED);
    expect(told).to.equal(2);
  });
});
