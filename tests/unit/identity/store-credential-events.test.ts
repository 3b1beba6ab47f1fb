import { expect } from 'chai';
import type { CredentialRevokedEvent } from '../../../src/domain/credential-events.js';
import {
  apiKeysCollection,
  revokedTokensCollection,
  type UserRecord,
  usersCollection,
} from '../../../src/identity/collections.js';
import { GroupRefresher } from '../../../src/identity/group-refresher.js';
import { StoreCredentialEvents } from '../../../src/identity/index.js';
import { ProviderDispatcher, UNRESTRICTED } from '../../../src/identity/provider-dispatcher.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { MemoryStore } from '../../support/memory-store.js';
import { waitFor } from '../../support/wait-for.js';
import { FakeDirectory } from './fake-directory.js';

// The store delivers change events asynchronously, as the real backends do.
const settled = () => new Promise((resolve) => setImmediate(resolve));

const alice: UserRecord = {
  id: 'u-1',
  username: 'alice',
  displayName: 'Alice',
  provider: 'local',
  principalIds: ['local://u-1'],
  groups: [],
  enabled: true,
  mustChangePassword: false,
  createdAt: 1,
  updatedAt: 1,
};

describe('StoreCredentialEvents', () => {
  function setup() {
    const store = new MemoryStore();
    const events: CredentialRevokedEvent[] = [];
    const accessListeners = new Set<() => void>();
    const accessChanges = {
      onAccessChange(listener: () => void) {
        accessListeners.add(listener);
        return () => accessListeners.delete(listener);
      },
    };
    const stop = new StoreCredentialEvents(store, { accessChanges }).onRevoked((e) =>
      events.push(e),
    );
    const announceAccessChange = () => {
      for (const l of accessListeners) l();
    };
    return { store, events, stop, announceAccessChange, accessListeners };
  }

  it('announces a revoked session token', async () => {
    const { store, events } = setup();
    await store
      .collection(revokedTokensCollection)
      .create('jti-1', { tokenId: 'jti-1', userId: 'u-1', revokedAt: 1, reason: 'logout' });
    await waitFor('the event', () => (events.length > 0 ? true : undefined));
    expect(events).to.deep.equal([{ kind: 'token', tokenId: 'jti-1' }]);
  });

  it('announces a deleted or disabled API key but not a last-used update', async () => {
    const { store, events } = setup();
    const keys = store.collection(apiKeysCollection);
    const key = {
      keyId: 'k1',
      userId: 'u-1',
      kind: 'api-key' as const,
      description: '',
      secretHash: 'x',
      enabled: true,
      createdAt: 1,
    };
    await keys.create('k1', key);
    await keys.update('k1', { ...key, lastUsedAt: 2 });
    await settled();
    expect(events).to.deep.equal([]);
    await keys.update('k1', { ...key, enabled: false });
    await keys.delete('k1');
    await waitFor('two events', () => (events.length >= 2 ? true : undefined));
    expect(events).to.deep.equal([
      { kind: 'token', tokenId: 'k1' },
      { kind: 'token', tokenId: 'k1' },
    ]);
  });

  it('announces a disabled user and stops announcing after unsubscribe', async () => {
    const { store, events, stop, accessListeners } = setup();
    const users = store.collection(usersCollection);
    const user = alice;
    await users.create('u-1', user);
    await users.update('u-1', { ...user, enabled: false });
    await waitFor('the event', () => (events.length > 0 ? true : undefined));
    stop();
    await users.delete('u-1');
    await settled();
    expect(events).to.deep.equal([{ kind: 'user', userId: 'u-1' }]);
    expect(accessListeners.size).to.equal(0);
  });

  it('announces a deleted user', async () => {
    const { store, events } = setup();
    const users = store.collection(usersCollection);
    await users.create('u-1', alice);
    await users.delete('u-1');
    await waitFor('the event', () => (events.length > 0 ? true : undefined));
    expect(events).to.deep.equal([{ kind: 'user', userId: 'u-1' }]);
  });

  it('announces a sign-out-everywhere as a cut of that user’s older sessions', async () => {
    const { store, events } = setup();
    const users = store.collection(usersCollection);
    await users.create('u-1', alice);
    await users.update('u-1', { ...alice, sessionsValidAfter: 5_000 });
    await waitFor('the events', () => (events.length >= 2 ? true : undefined));
    expect(events).to.deep.equal([
      { kind: 'sessions-cut', userId: 'u-1', issuedBefore: 5_000 },
      { kind: 'recheck', userId: 'u-1' },
    ]);
  });

  it('asks for a re-check of the user on other changes (groups), and closes nothing', async () => {
    const { store, events } = setup();
    const users = store.collection(usersCollection);
    await users.create('u-1', {
      ...alice,
      groups: [{ id: 'g', provider: 'local', kind: 'group', name: 'g' }],
    });
    await settled();
    expect(events, 'a new user concerns no open connection').to.deep.equal([]);
    await users.update('u-1', { ...alice, groups: [] });
    await waitFor('the event', () => (events.length > 0 ? true : undefined));
    expect(events).to.deep.equal([{ kind: 'recheck', userId: 'u-1' }]);
  });

  it('announces what a group refresh finds: a lost group as a re-check, no access as a user event', async () => {
    const { store, events } = setup();
    const directory = new FakeDirectory();
    directory.add('bob', 'pw', ['devs', 'ops']);
    const providers = new ProviderDispatcher();
    providers.register({ provider: directory, access: UNRESTRICTED });
    const users = new UserRepository(store);
    const refresher = new GroupRefresher({
      store,
      users,
      providers,
      hasAnyMembership: async () => false,
    });
    const bob = await users.create({
      username: 'bob',
      provider: 'openldap',
      principalIds: [directory.principalOf('bob').id],
    });
    const refresh = async () => refresher.refreshUser((await users.get(bob.id))!);

    directory.add('bob', 'pw', ['devs']);
    expect(await refresh()).to.equal('refreshed');
    await waitFor('the re-check', () => (events.length > 0 ? true : undefined));
    expect(events).to.deep.equal([{ kind: 'recheck', userId: bob.id }]);

    directory.people.get('bob')!.gone = true;
    expect(await refresh()).to.equal('revoked');
    await waitFor('the user event', () => (events.length > 1 ? true : undefined));
    expect(events[1]).to.deep.equal({ kind: 'user', userId: bob.id });
  });

  it('asks everybody to be re-checked when access rules change', () => {
    const { events, announceAccessChange } = setup();
    announceAccessChange();
    expect(events).to.deep.equal([{ kind: 'recheck' }]);
  });
});
