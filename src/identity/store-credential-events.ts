/**
 * Announces credentials that stopped working, from the store's change feed, so long-lived
 * connections (proxied watches, exec tunnels, subscriptions) of that caller end at once on
 * every replica instead of at their next periodic re-check.
 */
import type { CredentialEvents, CredentialRevokedEvent } from '../domain/credential-events.js';
import type { Store, Unsubscribe } from '../domain/store.js';
import { apiKeysCollection, revokedTokensCollection, usersCollection } from './collections.js';

export interface StoreCredentialEventsOptions {
  /**
   * Where changed access rules are announced (the authenticator's `onAccessChange`): provider
   * switched off, access mode or allowed principals edited, memberships changed. They become
   * a `recheck` of everybody, since only the authenticator knows whom they concern.
   */
  readonly accessChanges?: { onAccessChange(listener: () => void): Unsubscribe };
}

export class StoreCredentialEvents implements CredentialEvents {
  constructor(
    private readonly store: Store,
    private readonly options: StoreCredentialEventsOptions = {},
  ) {}

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
        if (e.type === 'created') return;
        if (e.type === 'deleted' || e.value?.enabled === false) {
          listener({ kind: 'user', userId: e.id });
          return;
        }
        // An event carries no previous value, so a cut-off that did not move is announced
        // again; that closes nothing, since such sessions could not have been opened since.
        const cutoff = e.value?.sessionsValidAfter;
        if (cutoff !== undefined) {
          listener({ kind: 'sessions-cut', userId: e.id, issuedBefore: cutoff });
        }
        // Other changes (groups refreshed, password must change) may narrow what the user's
        // open connections were given; closing on every update would cut healthy ones.
        listener({ kind: 'recheck', userId: e.id });
      }),
      ...(this.options.accessChanges
        ? [this.options.accessChanges.onAccessChange(() => listener({ kind: 'recheck' }))]
        : []),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }
}
