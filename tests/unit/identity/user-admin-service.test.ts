import { expect } from 'chai';
import type { AuthRequest, Identity } from '../../../src/domain/identity.js';
import type { AccessSubject } from '../../../src/domain/rbac.js';
import type { UserRights } from '../../../src/domain/user-admin.js';
import { AccountSessions } from '../../../src/identity/account-sessions.js';
import { ApiKeyService } from '../../../src/identity/api-keys.js';
import { identityOf, TokenAuthenticator } from '../../../src/identity/authenticator.js';
import type { UserRecord } from '../../../src/identity/collections.js';
import { LocalPasswordProvider } from '../../../src/identity/local-provider.js';
import {
  createPreferencesStore,
  preferencesCollection,
} from '../../../src/identity/preferences-store.js';
import { UserAdminService } from '../../../src/identity/user-admin-service.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { rejection, type SessionFixture, sessionFixture, settle, testRuntime } from './fixtures.js';

/** Admins hold everything; everyone else holds only what `extra` says they hold over others. */
class FakeRights implements UserRights {
  readonly admins = new Set<string>();
  readonly removed: string[] = [];
  async covers(caller: Identity, target: AccessSubject): Promise<boolean> {
    return this.admins.has(caller.userId) || !this.admins.has(target.userId);
  }
  async isAdmin(subject: AccessSubject): Promise<boolean> {
    return this.admins.has(subject.userId);
  }
  async removeUserBindings(userId: string): Promise<number> {
    this.removed.push(userId);
    return 1;
  }
}

const bearer = (token: string): AuthRequest => ({ headers: { authorization: `Bearer ${token}` } });
const asCaller = (user: UserRecord): Identity =>
  identityOf(user, { provider: user.provider, tokenId: 'test', tokenKind: 'session' });

describe('UserAdminService', () => {
  let f: SessionFixture;
  let users: UserRepository;
  let local: LocalPasswordProvider;
  let apiKeys: ApiKeyService;
  let rights: FakeRights;
  let admin: UserAdminService;
  let auth: TokenAuthenticator;
  let root: UserRecord;
  let manager: UserRecord;
  let alice: UserRecord;

  beforeEach(async () => {
    f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    users = new UserRepository(f.store, runtime);
    local = new LocalPasswordProvider(users, { now: f.clock.now });
    apiKeys = new ApiKeyService(f.store, { pepper: Buffer.alloc(32, 5), runtime });
    rights = new FakeRights();
    const accountSessions = new AccountSessions({ users, sessions: f.sessions, apiKeys });
    admin = new UserAdminService({
      store: f.store,
      users,
      local,
      accountSessions,
      apiKeys,
      rights,
      runtime,
    });
    auth = new TokenAuthenticator({ store: f.store, users, sessions: f.sessions, apiKeys });
    auth.start();
    root = await local.createUser({ username: 'root', password: 'root-password-1234' });
    manager = await local.createUser({ username: 'manager', password: 'manager-password-1' });
    alice = await local.createUser({ username: 'alice', password: 'alice-password-123' });
    rights.admins.add(root.id);
  });
  afterEach(() => auth.close());

  it('creates a local user with a generated password that must be changed at first login', async () => {
    const made = await admin.createLocalUser(asCaller(root), { username: 'bob' });
    expect(made.generatedPassword).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(made.user).to.include({ username: 'bob', provider: 'local', mustChangePassword: true });
    expect(made.user).not.to.have.property('passwordHash');
    const login = await local.login('bob', made.generatedPassword!);
    expect(login.user.id).to.equal(`local://${made.user.id}`);
  });

  it('refuses a taken username and a weak password without writing anything', async () => {
    const taken = await rejection(
      admin.createLocalUser(asCaller(root), { username: 'ALICE', password: 'long-enough-pw-1' }),
    );
    expect(taken.code).to.equal('CONFLICT');
    const weak = await rejection(
      admin.createLocalUser(asCaller(root), { username: 'carol', password: 'short' }),
    );
    expect(weak.code).to.equal('VALIDATION_FAILED');
    expect(await users.findByUsername('carol')).to.equal(undefined);
  });

  it('disables a user: sessions and keys are refused at once; enabling brings back keys, not sessions', async () => {
    const { token } = await f.sessions.create({ userId: alice.id, provider: 'local' });
    const key = await apiKeys.create({ userId: alice.id });
    await auth.authenticate(bearer(token));
    await auth.authenticate(bearer(key.token));

    const disabled = await admin.setEnabled(asCaller(manager), alice.id, false);
    expect(disabled).to.include({ enabled: false, disabledReason: 'admin' });
    await settle();
    expect((await rejection(auth.authenticate(bearer(token)))).code).to.equal('UNAUTHENTICATED');
    expect((await rejection(auth.authenticate(bearer(key.token)))).reason).to.equal(
      'user_disabled',
    );
    expect((await rejection(local.login('alice', 'alice-password-123'))).reason).to.equal(
      'user_disabled',
    );

    await admin.setEnabled(asCaller(manager), alice.id, true);
    await settle();
    expect((await auth.authenticate(bearer(key.token))).userId).to.equal(alice.id);
    expect((await rejection(auth.authenticate(bearer(token)))).code).to.equal('UNAUTHENTICATED');
    await local.login('alice', 'alice-password-123');
  });

  it('refuses to reset the password of, disable or delete a user holding rights the caller lacks', async () => {
    for (const attempt of [
      admin.resetPassword(asCaller(manager), root.id, { newPassword: 'taken-over-pw-123' }),
      admin.setEnabled(asCaller(manager), root.id, false),
      admin.deleteUser(asCaller(manager), root.id),
      admin.revokeAllSessions(asCaller(manager), root.id),
      admin.updateUser(asCaller(manager), root.id, { displayName: 'Pwned' }),
    ]) {
      const err = await rejection(attempt);
      expect(err.code).to.equal('FORBIDDEN');
      expect(err.reason).to.equal('escalation');
    }
    const after = (await users.get(root.id))!;
    expect(after).to.include({ enabled: true, displayName: 'root' });
    await local.login('root', 'root-password-1234');
  });

  it('refuses disabling or deleting oneself, and the last enabled admin', async () => {
    const self = await rejection(admin.setEnabled(asCaller(manager), manager.id, false));
    expect(self.reason).to.equal('self');
    expect((await rejection(admin.deleteUser(asCaller(manager), manager.id))).reason).to.equal(
      'self',
    );
    const last = await rejection(admin.setEnabled(asCaller(root), root.id, false));
    expect(last.code).to.equal('CONFLICT');
    expect(last.reason).to.equal('last_admin');
    // With a second enabled admin, the first is no longer the last one.
    rights.admins.add(alice.id);
    await admin.setEnabled(asCaller(alice), root.id, false);
    const nowLast = await rejection(admin.deleteUser(asCaller(root), alice.id));
    expect(nowLast.reason).to.equal('last_admin');
  });

  it('resets a local password, generated when none is given, and ends the sessions', async () => {
    const { token } = await f.sessions.create({ userId: alice.id, provider: 'local' });
    const reset = await admin.resetPassword(asCaller(manager), alice.id, {});
    expect(reset.user.mustChangePassword).to.equal(true);
    await settle();
    expect((await rejection(auth.authenticate(bearer(token)))).code).to.equal('UNAUTHENTICATED');
    expect((await rejection(local.login('alice', 'alice-password-123'))).code).to.equal(
      'UNAUTHENTICATED',
    );
    await local.login('alice', reset.generatedPassword!);
    const own = await rejection(admin.resetPassword(asCaller(root), root.id, {}));
    expect(own.reason).to.equal('self');
  });

  it('refuses a password reset for a directory user', async () => {
    const ldap = await users.create({
      username: 'dora',
      provider: 'openldap',
      principalIds: ['openldap_user://uid=dora,dc=example'],
    });
    const err = await rejection(admin.resetPassword(asCaller(root), ldap.id, {}));
    expect(err.reason).to.equal('not_local_user');
  });

  it('deletes a user with its bindings, sessions, keys and preferences', async () => {
    const { token } = await f.sessions.create({ userId: alice.id, provider: 'local' });
    const key = await apiKeys.create({ userId: alice.id, kind: 'kubeconfig' });
    await createPreferencesStore(f.store).update(alice.id, { theme: 'dark' });
    expect(await admin.deleteUser(asCaller(manager), alice.id)).to.equal(true);
    await settle();
    expect(rights.removed).to.deep.equal([alice.id]);
    expect(await users.get(alice.id)).to.equal(undefined);
    expect(await apiKeys.list(alice.id)).to.deep.equal([]);
    expect(await f.sessions.registry.list(alice.id)).to.deep.equal([]);
    expect(await f.store.collection(preferencesCollection).get(alice.id)).to.equal(undefined);
    for (const credential of [token, key.token]) {
      expect((await rejection(auth.authenticate(bearer(credential)))).code).to.equal(
        'UNAUTHENTICATED',
      );
    }
    expect(await admin.deleteUser(asCaller(manager), alice.id)).to.equal(false);
  });

  it("lists and ends another user's sessions one by one, announcing each revocation", async () => {
    const first = await f.sessions.create({ userId: alice.id, provider: 'local' });
    f.clock.advance(1);
    const second = await f.sessions.create({ userId: alice.id, provider: 'local' });
    const announced: string[] = [];
    const stop = f.sessions.revocations.watch((e) => announced.push(e.id));
    expect(await admin.revokeSession(asCaller(manager), alice.id, first.claims.sessionId)).to.equal(
      true,
    );
    // A session id of someone else is not this user's.
    expect(await admin.revokeSession(asCaller(root), manager.id, second.claims.sessionId)).to.equal(
      false,
    );
    await settle();
    stop();
    expect(announced).to.deep.equal([first.claims.sessionId]);
    expect((await auth.authenticate(bearer(second.token))).userId).to.equal(alice.id);
  });

  it('keeps an edited display name and clears an email given as empty', async () => {
    await admin.updateUser(asCaller(manager), alice.id, {
      displayName: '  Alice A.  ',
      email: 'alice@example.org',
    });
    const cleared = await admin.updateUser(asCaller(manager), alice.id, { email: '' });
    expect(cleared.displayName).to.equal('Alice A.');
    expect(cleared).not.to.have.property('email');
    const bad = await rejection(admin.updateUser(asCaller(manager), alice.id, { email: 'nope' }));
    expect(bad.code).to.equal('VALIDATION_FAILED');
  });
});
