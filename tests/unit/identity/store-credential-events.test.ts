import { expect } from 'chai';
import type { CredentialRevokedEvent } from '../../../src/domain/credential-events.js';
import {
  apiKeysCollection,
  revokedTokensCollection,
  usersCollection,
} from '../../../src/identity/collections.js';
import { StoreCredentialEvents } from '../../../src/identity/index.js';
import { MemoryStore } from '../../support/memory-store.js';
import { waitFor } from '../../support/wait-for.js';

// The store delivers change events asynchronously, as the real backends do.
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('StoreCredentialEvents', () => {
  function setup() {
    const store = new MemoryStore();
    const events: CredentialRevokedEvent[] = [];
    const stop = new StoreCredentialEvents(store).onRevoked((e) => events.push(e));
    return { store, events, stop };
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
    const { store, events, stop } = setup();
    const users = store.collection(usersCollection);
    const user = {
      id: 'u-1',
      username: 'alice',
      displayName: 'Alice',
      provider: 'local' as const,
      principalIds: ['local://u-1'],
      groups: [],
      enabled: true,
      mustChangePassword: false,
      createdAt: 1,
      updatedAt: 1,
    };
    await users.create('u-1', user);
    await users.update('u-1', { ...user, enabled: false });
    await waitFor('the event', () => (events.length > 0 ? true : undefined));
    stop();
    await users.delete('u-1');
    await settled();
    expect(events).to.deep.equal([{ kind: 'user', userId: 'u-1' }]);
  });
});
