import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { LoginAuditEvent } from '../../../src/domain/identity.js';
import { ApiKeyService } from '../../../src/identity/api-keys.js';
import { TokenAuthenticator } from '../../../src/identity/authenticator.js';
import { LocalPasswordProvider } from '../../../src/identity/local-provider.js';
import { LoginService } from '../../../src/identity/login-service.js';
import { LoginThrottle } from '../../../src/identity/login-throttle.js';
import {
  type ProviderAccess,
  ProviderDispatcher,
  UNRESTRICTED,
} from '../../../src/identity/provider-dispatcher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { FakeDirectory } from './fake-directory.js';
import { rejection, type SessionFixture, sessionFixture, settle, testRuntime } from './fixtures.js';

describe('LoginService', () => {
  let f: SessionFixture;
  let users: UserRepository;
  let local: LocalPasswordProvider;
  let directory: FakeDirectory;
  let providers: ProviderDispatcher;
  let members: Set<string>;
  let audit: LoginAuditEvent[];
  let service: LoginService;
  let auth: TokenAuthenticator;

  function setDirectoryAccess(access: ProviderAccess): void {
    providers.register({ provider: directory, access });
  }

  beforeEach(async () => {
    f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    users = new UserRepository(f.store, runtime);
    local = new LocalPasswordProvider(users, { now: f.clock.now });
    directory = new FakeDirectory();
    directory.add('alice', 'alice-pw', ['devs']);
    providers = new ProviderDispatcher();
    providers.register({ provider: local, access: UNRESTRICTED });
    setDirectoryAccess(UNRESTRICTED);
    members = new Set();
    audit = [];
    service = new LoginService({
      users,
      providers,
      sessions: f.sessions,
      throttle: new LoginThrottle(f.store, {}, runtime),
      local,
      hasAnyMembership: async (ids) => ids.some((id) => members.has(id)),
      audit: (e) => audit.push(e),
      runtime,
    });
    auth = new TokenAuthenticator(
      {
        store: f.store,
        users,
        sessions: f.sessions,
        apiKeys: new ApiKeyService(f.store, { pepper: randomBytes(32), runtime }),
      },
      { runtime },
    );
    auth.start();
  });
  afterEach(() => auth.close());

  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('creates a user at the first directory login and returns a working session', async () => {
    const result = await service.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
      remoteAddress: '10.0.0.1',
    });
    expect(result.userId).to.match(/^u-[a-z0-9]{10}$/);
    expect(result).to.include({ username: 'alice', mustChangePassword: false });
    expect(result.expiresAt).to.equal(f.clock.ms + 3600_000);
    const identity = await auth.authenticate(bearer(result.token));
    expect(identity).to.include({
      userId: result.userId,
      provider: 'openldap',
      displayName: 'ALICE',
    });
    expect(identity.principalIds).to.deep.equal([
      'openldap_user://uid=alice,dc=example',
      'openldap_group://cn=devs,dc=example',
    ]);
  });

  it('links later logins to the same user and stores the current groups with a refresh time', async () => {
    const first = await service.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    directory.people.get('alice')!.groups = ['ops'];
    f.clock.advance(60);
    const second = await service.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    expect(second.userId).to.equal(first.userId);
    const user = (await users.get(first.userId))!;
    expect(user.groups.map((g) => g.name)).to.deep.equal(['ops']);
    expect(user.groupsRefreshedAt).to.equal(f.clock.ms);
    expect(await users.list()).to.have.length(1);
  });

  it('gives a directory user whose name is taken locally a distinct username', async () => {
    await local.createUser({ username: 'alice', password: 'local alice password' });
    const result = await service.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    expect(result.username).to.equal('alice@openldap');
  });

  it('logs a local user in and flags a required password change', async () => {
    const user = await local.createUser({
      username: 'root',
      password: 'initial password',
      mustChangePassword: true,
    });
    const result = await service.login({
      provider: 'local',
      username: 'root',
      password: 'initial password',
    });
    expect(result).to.include({ userId: user.id, mustChangePassword: true });
    expect((await auth.authenticate(bearer(result.token))).mustChangePassword).to.equal(true);
  });

  it('changes the password, signs out other sessions and returns a fresh one', async () => {
    const user = await local.createUser({
      username: 'root',
      password: 'initial password',
      mustChangePassword: true,
    });
    const old = await service.login({
      provider: 'local',
      username: 'root',
      password: 'initial password',
    });
    f.clock.advance(1);
    const fresh = await service.changePassword({
      userId: user.id,
      currentPassword: 'initial password',
      newPassword: 'a much better password',
    });
    await settle();
    expect((await rejection(auth.authenticate(bearer(old.token)))).reason).to.equal(
      'token_revoked',
    );
    const identity = await auth.authenticate(bearer(fresh.token));
    expect(identity.mustChangePassword).to.equal(undefined);
  });

  it('announces the end of every other session of a password change, so open streams close', async () => {
    const user = await local.createUser({ username: 'root', password: 'initial password' });
    const old = await service.login({
      provider: 'local',
      username: 'root',
      password: 'initial password',
    });
    const announced: string[] = [];
    const stop = f.sessions.revocations.watch((e) => announced.push(e.id));
    const fresh = await service.changePassword({
      userId: user.id,
      currentPassword: 'initial password',
      newPassword: 'a much better password',
    });
    await settle();
    stop();
    const ids = await Promise.all(
      [old.token, fresh.token].map((t) => f.sessions.codec.verify(t).then((c) => c.sessionId)),
    );
    expect(announced).to.deep.equal([ids[0]]);
  });

  it('deletes every API key and kubeconfig token too when asked at a password change', async () => {
    const runtime = testRuntime(f.clock);
    const apiKeys = new ApiKeyService(f.store, { pepper: randomBytes(32), runtime });
    const withKeys = new LoginService({
      users,
      providers,
      sessions: f.sessions,
      throttle: new LoginThrottle(f.store, {}, runtime),
      local,
      apiKeys,
      hasAnyMembership: async () => false,
      runtime,
    });
    const user = await local.createUser({ username: 'root', password: 'initial password' });
    await apiKeys.create({ userId: user.id });
    await apiKeys.create({ userId: user.id, kind: 'kubeconfig' });
    await withKeys.changePassword({
      userId: user.id,
      currentPassword: 'initial password',
      newPassword: 'a much better password',
    });
    expect(await apiKeys.list(user.id)).to.have.length(2);
    await withKeys.changePassword({
      userId: user.id,
      currentPassword: 'a much better password',
      newPassword: 'an even better password',
      revokeApiKeys: true,
    });
    expect(await apiKeys.list(user.id)).to.deep.equal([]);
  });

  it('answers an unknown user and a wrong password alike, and audits both', async () => {
    const wrong = await rejection(
      service.login({ provider: 'openldap', username: 'alice', password: 'nope' }),
    );
    const unknown = await rejection(
      service.login({ provider: 'openldap', username: 'zed', password: 'nope' }),
    );
    expect([wrong.code, wrong.message]).to.deep.equal([unknown.code, unknown.message]);
    expect(audit.map((e) => [e.outcome, e.username])).to.deep.equal([
      ['failure', 'alice'],
      ['failure', 'zed'],
    ]);
    expect(JSON.stringify(audit)).not.to.contain('nope');
  });

  it('refuses an empty password before asking the provider', async () => {
    const err = await rejection(
      service.login({ provider: 'openldap', username: 'alice', password: '' }),
    );
    expect(err.code).to.equal('UNAUTHENTICATED');
    expect(directory.logins).to.equal(0);
  });

  it('stops asking the directory once the account is throttled', async () => {
    for (let i = 0; i < 6; i++)
      await rejection(
        service.login({
          provider: 'openldap',
          username: 'alice',
          password: 'bad',
          remoteAddress: '10.0.0.1',
        }),
      );
    const binds = directory.logins;
    const err = await rejection(
      service.login({
        provider: 'openldap',
        username: 'alice',
        password: 'alice-pw',
        remoteAddress: '10.0.0.1',
      }),
    );
    expect([err.code, err.message]).to.deep.equal([
      'TOO_MANY_REQUESTS',
      'too many failed logins; try again later',
    ]);
    expect(directory.logins).to.equal(binds);
    expect(audit.at(-1)).to.include({ outcome: 'throttled', username: 'alice' });
  });

  it('does not count an unreachable directory as a failed password', async () => {
    directory.down = true;
    for (let i = 0; i < 8; i++) {
      expect(
        (
          await rejection(
            service.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' }),
          )
        ).code,
      ).to.equal('UPSTREAM_UNAVAILABLE');
    }
    directory.down = false;
    await service.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' });
  });

  it('admits only allowed principals in required mode', async () => {
    directory.add('bob', 'bob-pw', ['ops']);
    setDirectoryAccess({
      accessMode: 'required',
      allowedPrincipalIds: ['openldap_group://cn=devs,dc=example'],
    });
    await service.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' });
    const err = await rejection(
      service.login({ provider: 'openldap', username: 'bob', password: 'bob-pw' }),
    );
    expect([err.code, err.reason]).to.deep.equal(['FORBIDDEN', 'access_denied']);
    expect(audit.at(-1)).to.include({ outcome: 'denied', username: 'bob' });
    expect(await users.findByUsername('bob')).to.equal(undefined);
  });

  it('admits cluster or project members in restricted mode', async () => {
    directory.add('bob', 'bob-pw', ['ops']);
    setDirectoryAccess({ accessMode: 'restricted', allowedPrincipalIds: [] });
    expect(
      (
        await rejection(
          service.login({ provider: 'openldap', username: 'bob', password: 'bob-pw' }),
        )
      ).reason,
    ).to.equal('access_denied');
    members.add('openldap_group://cn=ops,dc=example');
    await service.login({ provider: 'openldap', username: 'bob', password: 'bob-pw' });
  });

  it('refuses a user disabled by an administrator but lifts a provider-side revocation', async () => {
    const first = await service.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    await users.disable(first.userId, 'provider_revoked');
    await service.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' });
    expect((await users.get(first.userId))!.enabled).to.equal(true);
    await users.disable(first.userId, 'admin');
    expect(
      (
        await rejection(
          service.login({ provider: 'openldap', username: 'alice', password: 'alice-pw' }),
        )
      ).reason,
    ).to.equal('user_disabled');
  });

  it('refuses an unknown provider name as a bad request', async () => {
    expect(
      (await rejection(service.login({ provider: 'github', username: 'a', password: 'b' }))).reason,
    ).to.equal('unknown_provider');
  });

  it('ends the session at logout', async () => {
    const result = await service.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    await auth.authenticate(bearer(result.token));
    expect(await service.logout(result.token)).to.equal(true);
    await settle();
    expect((await rejection(auth.authenticate(bearer(result.token)))).reason).to.equal(
      'token_revoked',
    );
  });
});
