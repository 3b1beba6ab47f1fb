import { expect } from 'chai';
import type { AccessSubject } from '../../../src/domain/rbac.js';
import { AccessEnforcer } from '../../../src/identity/access-enforcer.js';
import { AccountSessions } from '../../../src/identity/account-sessions.js';
import { ApiKeyService } from '../../../src/identity/api-keys.js';
import { createAuthConfigAdmin } from '../../../src/identity/auth-config-admin.js';
import { AuthConfigStore } from '../../../src/identity/auth-configs.js';
import { LoginService } from '../../../src/identity/login-service.js';
import { LoginThrottle } from '../../../src/identity/login-throttle.js';
import { ProviderDispatcher } from '../../../src/identity/provider-dispatcher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { FakeDirectory } from './fake-directory.js';
import { rejection, sessionFixture, testBox, testRuntime } from './fixtures.js';

const DEVS = 'openldap_group://cn=devs,dc=example';

async function setup() {
  const f = await sessionFixture();
  const runtime = testRuntime(f.clock);
  const users = new UserRepository(f.store, runtime);
  const apiKeys = new ApiKeyService(f.store, { pepper: Buffer.alloc(32, 5), runtime });
  const directory = new FakeDirectory();
  directory.add('alice', 'alice-pw', ['devs']);
  directory.add('bob', 'bob-pw', ['ops']);
  const providers = new ProviderDispatcher();
  providers.register({
    provider: directory,
    access: { accessMode: 'unrestricted', allowedPrincipalIds: [] },
  });
  const hasAnyMembership = async () => false;
  const login = new LoginService({
    users,
    providers,
    sessions: f.sessions,
    throttle: new LoginThrottle(f.store, {}, runtime),
    hasAnyMembership,
    runtime,
  });
  const admins = new Set<string>();
  const enforcer = new AccessEnforcer({
    users,
    accountSessions: new AccountSessions({ users, sessions: f.sessions, apiKeys }),
    hasAnyMembership,
    rights: { isAdmin: async (s: AccessSubject) => admins.has(s.userId) },
  });
  const configs = new AuthConfigStore(f.store, testBox, { runtime });
  const admin = createAuthConfigAdmin({ configs, factoryFor: () => undefined, enforcer });
  return { f, users, login, admin, admins };
}

describe('AccessEnforcer: a narrower access mode ends the access of users it shuts out', () => {
  it('disables and signs out the users the new mode no longer admits, and only them', async () => {
    const s = await setup();
    const alice = await s.login.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    const bob = await s.login.login({ provider: 'openldap', username: 'bob', password: 'bob-pw' });
    const revoked: string[] = [];
    const stop = s.f.sessions.revocations.watch((e) => revoked.push(e.id));
    await s.admin.put({
      provider: 'openldap',
      settings: {},
      accessMode: 'required',
      allowedPrincipalIds: [DEVS],
    });
    await new Promise((r) => setImmediate(r));
    stop();
    expect(await s.users.get(bob.userId)).to.include({
      enabled: false,
      disabledReason: 'access_revoked',
    });
    expect(await s.users.get(alice.userId)).to.include({ enabled: true });
    expect(revoked).to.have.length(1);
    expect((await rejection(s.f.sessions.verify(bob.token))).reason).to.equal('token_revoked');
    await s.f.sessions.verify(alice.token);
  });

  it('refuses, before saving, a mode that would shut out every enabled administrator', async () => {
    const s = await setup();
    const bob = await s.login.login({ provider: 'openldap', username: 'bob', password: 'bob-pw' });
    s.admins.add(bob.userId);
    const err = await rejection(
      s.admin.put({
        provider: 'openldap',
        settings: {},
        accessMode: 'required',
        allowedPrincipalIds: [DEVS],
      }),
    );
    expect(err.reason).to.equal('last_admin');
    expect(await s.admin.get('openldap')).to.equal(undefined);
    expect(await s.users.get(bob.userId)).to.include({ enabled: true });
  });

  it('ends the sessions of every user of a provider that is switched off', async () => {
    const s = await setup();
    const alice = await s.login.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    await s.admin.put({ provider: 'openldap', settings: {} });
    await s.f.sessions.verify(alice.token);
    await s.admin.put({ provider: 'openldap', settings: {}, enabled: false });
    expect((await rejection(s.f.sessions.verify(alice.token))).reason).to.equal('token_revoked');
  });

  it('ends the sessions of a deleted provider’s users, but never switches the local accounts off', async () => {
    const s = await setup();
    const alice = await s.login.login({
      provider: 'openldap',
      username: 'alice',
      password: 'alice-pw',
    });
    const local = await s.users.create({ username: 'root', provider: 'local' });
    const rootSession = await s.f.sessions.create({ userId: local.id, provider: 'local' });
    await s.admin.put({ provider: 'local', settings: {}, enabled: false });
    await s.f.sessions.verify(rootSession.token);
    expect(await s.admin.delete('local')).to.equal(true);
    await s.f.sessions.verify(rootSession.token);
    await s.admin.put({ provider: 'openldap', settings: {} });
    expect(await s.admin.delete('openldap')).to.equal(true);
    expect((await rejection(s.f.sessions.verify(alice.token))).reason).to.equal('token_revoked');
    expect(await s.users.get(local.id)).to.include({ enabled: true });
  });
});
