/** Each user's UI preferences in the store, keyed by user id. Implements `PreferencesStore`. */
import {
  DEFAULT_PREFERENCES,
  type PreferencesStore,
  type UserPreferences,
} from '../domain/preferences.js';
import type { CollectionSpec, Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';

export const preferencesCollection: CollectionSpec<Partial<UserPreferences>> = {
  name: 'user-preferences',
};

export function createPreferencesStore(store: Store): PreferencesStore {
  const collection = store.collection(preferencesCollection);
  return {
    async get(userId) {
      return { ...DEFAULT_PREFERENCES, ...(await collection.get(userId))?.value };
    },
    async update(userId, changes) {
      for (let attempt = 1; ; attempt++) {
        const current = await collection.get(userId);
        const next = { ...current?.value, ...changes };
        try {
          if (current === undefined) await collection.create(userId, next);
          else await collection.update(userId, next, { resourceVersion: current.resourceVersion });
          return { ...DEFAULT_PREFERENCES, ...next };
        } catch (err) {
          // Two tabs saving at once: merge onto the other write.
          if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
        }
      }
    },
  };
}
