/**
 * Announces credentials that stopped working, from the store's change feed, so long-lived
 * connections (proxied watches, exec tunnels, subscriptions) of that caller end at once on
 * every replica instead of at their next periodic re-check.
 */
import type { CredentialEvents, CredentialRevokedEvent } from '../domain/credential-events.js';
import type { Store, Unsubscribe } from '../domain/store.js';
import { apiKeysCollection, revokedTokensCollection, usersCollection } from './collections.js';

export class StoreCredentialEvents implements CredentialEvents {
  constructor(private readonly store: Store) {}

  onRevoked(listener: (event: CredentialRevokedEvent) => void): Unsubscribe {
    const stops = [
      this.store.collection(revokedTokensCollection).watch((e) => {
        if (e.type !== 'deleted') listener({ kind: 'token', tokenId: e.id });
      }),
      this.store.collection(apiKeysCollection).watch((e) => {
        const gone = e.type === 'deleted' || e.value?.enabled === false;
        if (gone) listener({ kind: 'token', tokenId: e.id });
      }),
      this.store.collection(usersCollection).watch((e) => {
        // Other user changes (sign out everywhere, lost groups) are caught by the periodic
        // re-authentication of open streams; closing on every update would cut healthy ones.
        if (e.type === 'deleted' || e.value?.enabled === false) {
          listener({ kind: 'user', userId: e.id });
        }
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }
}
