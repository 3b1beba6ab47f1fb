/**
 * The `UserRights` port identity asks when an administrator acts on a user: does the caller
 * hold everything the target holds, is the target an administrator, and removing every
 * binding of a deleted user (the push-down then removes its downstream RoleBindings).
 */
import type { Identity } from '../domain/identity.js';
import type { AccessSubject } from '../domain/rbac.js';
import type { Collection, Store } from '../domain/store.js';
import type { UserRights } from '../domain/user-admin.js';
import { holdsEveryRightOf, holdsEverything } from '../rbac/index.js';
import type { StoreAccessState } from './access-state.js';
import type { BindingStore } from './binding-store.js';
import { subjectOf } from './caller-policy.js';
import { type DefaultRolesGrantedRecord, defaultRolesGrantedCollection } from './collections.js';
import { bindingSubjectKey } from './subject-key.js';

export class AccessUserRights implements UserRights {
  readonly #state: StoreAccessState;
  readonly #bindings: BindingStore;
  readonly #granted: Collection<DefaultRolesGrantedRecord>;

  constructor(store: Store, state: StoreAccessState, bindings: BindingStore) {
    this.#state = state;
    this.#bindings = bindings;
    this.#granted = store.collection(defaultRolesGrantedCollection);
  }

  async covers(caller: Identity, target: AccessSubject): Promise<boolean> {
    // A cluster-scoped key carries no global rights, so it never covers anybody.
    if (caller.scope !== undefined) return false;
    return holdsEveryRightOf(await this.#state.snapshot(), subjectOf(caller), target);
  }

  async isAdmin(subject: AccessSubject): Promise<boolean> {
    return holdsEverything(await this.#state.snapshot(), subject);
  }

  async removeUserBindings(userId: string): Promise<number> {
    const key = bindingSubjectKey({ kind: 'user', userId });
    let removed = 0;
    for (const collection of [
      this.#bindings.global,
      this.#bindings.cluster,
      this.#bindings.project,
    ] as Collection<unknown>[]) {
      for (const record of await collection.list({ index: 'bySubject', value: key })) {
        if (await collection.delete(record.id)) removed++;
      }
    }
    // A user id is never reused, but the marker would otherwise outlive the user forever.
    await this.#granted.delete(userId);
    this.#state.invalidate();
    return removed;
  }
}
