import { randomBytes } from 'node:crypto';
import { parseOptions } from '@node-rs/argon2';
import { expect } from 'chai';
import type { PaddockError } from '../../../src/errors/index.js';
import { ensureBootstrapAdmin } from '../../../src/identity/bootstrap-admin.js';
import { LocalPasswordProvider } from '../../../src/identity/local-provider.js';
import { PasswordHasher } from '../../../src/identity/password-hasher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { MemoryStore } from '../../support/memory-store.js';

async function rejection(promise: Promise<unknown>): Promise<PaddockError> {
  try {
    await promise;
  } catch (err) {
    return err as PaddockError;
  }
  throw new Error('expected a rejection');
}

describe('LocalPasswordProvider', () => {
  let store: MemoryStore;
  let users: UserRepository;
  let local: LocalPasswordProvider;

  beforeEach(() => {
    store = new MemoryStore();
    users = new UserRepository(store);
    local = new LocalPasswordProvider(users);
  });

  it('logs a user in with the right password and names the local principal', async () => {
    const user = await local.createUser({ username: 'alice', password: 'correct horse battery' });
    const login = await local.login('alice', 'correct horse battery');
    expect(login.user).to.include({
      id: `local://${user.id}`,
      provider: 'local',
      kind: 'user',
      name: 'alice',
    });
    expect(login.groups).to.deep.equal([]);
  });

  it('stores an argon2id hash with at least m=19456, t=2, p=1 and never the password', async () => {
    const user = await local.createUser({ username: 'alice', password: 'correct horse battery' });
    const stored = (await users.get(user.id))!;
    expect(JSON.stringify(stored)).not.to.contain('correct horse');
    expect(stored.passwordHash!.startsWith('$argon2id$')).to.equal(true);
    const params = parseOptions(stored.passwordHash!);
    expect(params.memoryCost).to.be.at.least(19456);
    expect(params.timeCost).to.be.at.least(2);
    expect(params.parallelism).to.equal(1);
  });

  it('finds the username regardless of case', async () => {
    await local.createUser({ username: 'Alice', password: 'correct horse battery' });
    expect((await local.login('alice', 'correct horse battery')).user.name).to.equal('Alice');
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    await local.createUser({ username: 'alice', password: 'correct horse battery' });
    const wrong = await rejection(local.login('alice', 'wrong password!!'));
    const unknown = await rejection(local.login('mallory', 'wrong password!!'));
    expect([wrong.code, wrong.message, wrong.reason]).to.deep.equal([
      unknown.code,
      unknown.message,
      unknown.reason,
    ]);
    expect(wrong.code).to.equal('UNAUTHENTICATED');
  });

  it('spends a password verification on an unknown user so timing does not reveal existence', async () => {
    let dummies = 0;
    const hasher = new PasswordHasher();
    const original = hasher.verifyDummy.bind(hasher);
    hasher.verifyDummy = async (password: string) => {
      dummies++;
      return original(password);
    };
    local = new LocalPasswordProvider(users, { hasher });
    await rejection(local.login('nobody', 'some password'));
    await rejection(local.login('bad user name with spaces', 'some password'));
    expect(dummies).to.equal(2);
  });

  it('refuses an empty password without looking anything up', async () => {
    await local.createUser({ username: 'alice', password: 'correct horse battery' });
    const reads = store.reads;
    expect((await rejection(local.login('alice', ''))).reason).to.equal('bad_credentials');
    expect(store.reads).to.equal(reads);
  });

  it('refuses a disabled user even with the right password', async () => {
    const user = await local.createUser({ username: 'alice', password: 'correct horse battery' });
    await users.disable(user.id, 'admin');
    expect((await rejection(local.login('alice', 'correct horse battery'))).reason).to.equal(
      'user_disabled',
    );
    expect(
      await local.refreshGroups({
        id: `local://${user.id}`,
        provider: 'local',
        kind: 'user',
        name: 'alice',
      }),
    ).to.deep.equal({ status: 'revoked', reason: 'user_disabled' });
  });

  it('rehashes at login when the configured argon2 parameters rose', async () => {
    const user = await local.createUser({ username: 'alice', password: 'correct horse battery' });
    const stronger = new LocalPasswordProvider(users, {
      hasher: new PasswordHasher({ memoryCostKiB: 19456, timeCost: 3, parallelism: 1 }),
    });
    await stronger.login('alice', 'correct horse battery');
    const after = (await users.get(user.id))!.passwordHash!;
    expect(parseOptions(after).timeCost).to.equal(3);
    await stronger.login('alice', 'correct horse battery');
  });

  it('refuses argon2 parameters below the OWASP minimum', () => {
    expect(() => new PasswordHasher({ memoryCostKiB: 4096, timeCost: 2, parallelism: 1 })).to.throw(
      'argon2id',
    );
  });

  it('changes a password only with the current one and clears must-change-password', async () => {
    const user = await local.createUser({
      username: 'alice',
      password: 'correct horse battery',
      mustChangePassword: true,
    });
    expect(
      (await rejection(local.changePassword(user.id, 'not it at all', 'a brand new passphrase')))
        .reason,
    ).to.equal('bad_current_password');
    const changed = await local.changePassword(
      user.id,
      'correct horse battery',
      'a brand new passphrase',
    );
    expect(changed.mustChangePassword).to.equal(false);
    await rejection(local.login('alice', 'correct horse battery'));
    await local.login('alice', 'a brand new passphrase');
  });

  it('enforces the minimum length and refuses the username as password', async () => {
    const user = await local.createUser({ username: 'alice', password: 'correct horse battery' });
    expect(
      (await rejection(local.changePassword(user.id, 'correct horse battery', 'short'))).reason,
    ).to.equal('password_policy');
    expect(
      (await rejection(local.createUser({ username: 'bob', password: 'tiny' }))).code,
    ).to.equal('VALIDATION_FAILED');
    expect(
      (await rejection(local.createUser({ username: 'longusername1', password: 'LONGUSERNAME1' })))
        .reason,
    ).to.equal('password_policy');
  });

  it('refuses a second user with the same username', async () => {
    await local.createUser({ username: 'alice', password: 'correct horse battery' });
    expect(
      (await rejection(local.createUser({ username: 'ALICE', password: 'correct horse battery' })))
        .code,
    ).to.equal('CONFLICT');
  });

  it('finds local users by part of their name for adding members', async () => {
    await local.createUser({
      username: 'alice',
      password: 'correct horse battery',
      displayName: 'Alice Liddell',
    });
    await local.createUser({ username: 'bob', password: 'correct horse battery' });
    const found = await local.searchPrincipals('LIDD');
    expect(found.map((p) => p.name)).to.deep.equal(['alice']);
  });

  it('sets a password for an administrator reset and forces a change by default', async () => {
    const user = await local.createUser({ username: 'alice', password: 'correct horse battery' });
    const reset = await local.setPassword(user.id, 'temporary password 1');
    expect(reset.mustChangePassword).to.equal(true);
    await local.login('alice', 'temporary password 1');
  });
});

describe('ensureBootstrapAdmin', () => {
  it('creates admin with a generated password on an empty store and returns it once', async () => {
    const store = new MemoryStore();
    const users = new UserRepository(store);
    const local = new LocalPasswordProvider(users);
    const result = await ensureBootstrapAdmin(users, local, { randomBytes });
    if (!result.created) throw new Error('expected creation');
    expect(result.generatedPassword).to.have.length(24);
    const login = await local.login('admin', result.generatedPassword!);
    expect(login.user.id).to.equal(`local://${result.userId}`);
    expect((await users.get(result.userId))!.mustChangePassword).to.equal(true);
    expect(JSON.stringify((await users.get(result.userId))!)).not.to.contain(
      result.generatedPassword,
    );
  });

  it('uses the configured password and does nothing once any user exists', async () => {
    const store = new MemoryStore();
    const users = new UserRepository(store);
    const local = new LocalPasswordProvider(users);
    const first = await ensureBootstrapAdmin(users, local, {
      randomBytes,
      password: 'configured password',
    });
    expect(first).to.include({ created: true, username: 'admin' });
    expect(first).not.to.have.property('generatedPassword');
    await local.login('admin', 'configured password');
    expect(await ensureBootstrapAdmin(users, local, { randomBytes })).to.deep.equal({
      created: false,
    });
  });

  it('creates only one admin when two replicas start together', async () => {
    const store = new MemoryStore();
    const users = new UserRepository(store);
    const local = new LocalPasswordProvider(users);
    const results = await Promise.all([
      ensureBootstrapAdmin(users, local, { randomBytes, password: 'configured password' }),
      ensureBootstrapAdmin(users, local, { randomBytes, password: 'configured password' }),
    ]);
    expect(results.filter((r) => r.created)).to.have.length(1);
    expect(await users.list()).to.have.length(1);
  });
});
