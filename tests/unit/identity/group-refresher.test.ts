import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { ApiKeyService } from '../../../src/identity/api-keys.js';
import { TokenAuthenticator } from '../../../src/identity/authenticator.js';
import { GroupRefresher } from '../../../src/identity/group-refresher.js';
import { LoginService } from '../../../src/identity/login-service.js';
import { LoginThrottle } from '../../../src/identity/login-throttle.js';
import { ProviderDispatcher, UNRESTRICTED } from '../../../src/identity/provider-dispatcher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { FakeDirectory } from './fake-directory.js';
import { rejection, type SessionFixture, sessionFixture, settle, testRuntime } from './fixtures.js';

describe('GroupRefresher', () => {
  let f: SessionFixture;
  let users: UserRepository;
  let directory: FakeDirectory;
  let providers: ProviderDispatcher;
  let refresher: GroupRefresher;
  let login: LoginService;
  let apiKeys: ApiKeyService;
  let auth: TokenAuthenticator;

  beforeEach(async () => {
    f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    users = new UserRepository(f.store, runtime);
    directory = new FakeDirectory();
    directory.add('alice', 'alice-pw', ['devs']);
    providers = new ProviderDispatcher();
    providers.register({
      provider: directory,
      access: UNRESTRICTED,
      groupRefreshMaxAgeSeconds: 600,
    });
    const hasAnyMembership = async () => false;
    refresher = new GroupRefresher({ store: f.store, users, providers, hasAnyMembership, runtime });
    login = new LoginService({
      users,
      providers,
      sessions: f.sessions,
      throttle: new LoginThrottle(f.store, {}, runtime),
      hasAnyMembership,
      runtime,
    });
    apiKeys = new ApiKeyService(f.store, { pepper: randomBytes(32), runtime });
    auth = new TokenAuthenticator(
      { store: f.store, users, sessions: f.sessions, apiKeys },
      { runtime },
    );
    auth.start();
  });
  afterEach(() => {
    auth.close();
    refresher.stop();
  });

  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('leaves groups younger than the maximum age alone', async () => {
    await login.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' });
    f.clock.advance(599);
    expect(await refresher.runOnce()).to.deep.equal({ refreshed: 0, revoked: 0, failed: 0 });
    expect(directory.refreshes).to.equal(0);
  });

  it('re-reads stale groups and the next request sees them', async () => {
    const session = await login.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    await auth.authenticate(bearer(session.token));
    directory.people.get('alice')!.groups = ['ops'];
    f.clock.advance(600);
    expect(await refresher.runOnce()).to.deep.equal({ refreshed: 1, revoked: 0, failed: 0 });
    await settle();
    expect((await auth.authenticate(bearer(session.token))).groupPrincipalIds).to.deep.equal([
      'openldap_group://cn=ops,dc=example',
    ]);
  });

  it('stops every session and key of a user the directory no longer knows', async () => {
    const session = await login.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    const key = await apiKeys.create({ userId: session.userId });
    await auth.authenticate(bearer(session.token));
    await auth.authenticate(bearer(key.token));
    directory.people.get('alice')!.gone = true;
    f.clock.advance(600);
    expect((await refresher.runOnce()).revoked).to.equal(1);
    await settle();
    expect((await rejection(auth.authenticate(bearer(session.token)))).reason).to.equal(
      'user_disabled',
    );
    expect((await rejection(auth.authenticate(bearer(key.token)))).reason).to.equal(
      'user_disabled',
    );
  });

  it('disables a user who lost the group that required mode admits', async () => {
    providers.register({
      provider: directory,
      access: {
        accessMode: 'required',
        allowedPrincipalIds: ['openldap_group://cn=devs,dc=example'],
      },
    });
    const session = await login.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    directory.people.get('alice')!.groups = [];
    f.clock.advance(3600);
    expect((await refresher.runOnce()).revoked).to.equal(1);
    expect((await users.get(session.userId))!.disabledReason).to.equal('access_revoked');
  });

  it('keeps the old groups while the directory is unreachable', async () => {
    const session = await login.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    directory.down = true;
    f.clock.advance(600);
    expect(await refresher.runOnce()).to.deep.equal({ refreshed: 0, revoked: 0, failed: 1 });
    const user = (await users.get(session.userId))!;
    expect([user.enabled, user.groups.length]).to.deep.equal([true, 1]);
  });

  it('refreshes a user on only one of two replicas running at once', async () => {
    await login.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' });
    const other = new GroupRefresher({
      store: f.store,
      users,
      providers,
      hasAnyMembership: async () => false,
      runtime: testRuntime(f.clock),
    });
    f.clock.advance(600);
    const [a, b] = await Promise.all([refresher.runOnce(), other.runOnce()]);
    expect(a.refreshed + b.refreshed).to.equal(1);
    expect(directory.refreshes).to.equal(1);
  });

  it('keeps an administrator’s disable when a refresh of the user races with it', async () => {
    await login.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' });
    const stale = (await users.findByUsername('alice'))!;
    await users.disable(stale.id, 'admin');
    directory.people.get('alice')!.gone = true;
    expect(await refresher.refreshUser(stale)).to.equal('revoked');
    directory.people.get('alice')!.gone = false;
    expect(await refresher.refreshUser(stale)).to.equal('refreshed');
    expect(await users.get(stale.id)).to.include({ enabled: false, disabledReason: 'admin' });
    // A provider reason would be lifted by this login; the administrator's is not.
    const refused = await rejection(
      login.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' }),
    );
    expect(refused.reason).to.equal('user_disabled');
  });
});
