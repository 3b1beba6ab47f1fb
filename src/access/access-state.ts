/**
 * The access state read from the Store, cached until any of its collections changes (on any
 * replica: the store's change feed carries other replicas' writes). Implements the push-down's
 * `AccessStateSource` port.
 */
import type { AccessState, AccessStateSource } from '../domain/rbac.js';
import type { ChangeEvent, Unsubscribe } from '../domain/store.js';
import type { BindingStore } from './binding-store.js';
import type { ProjectStore } from './project-store.js';
import type { RoleCatalog } from './role-catalog.js';

type Listener = (clusterId: string | undefined) => void;

export class StoreAccessState implements AccessStateSource {
  readonly #catalog: RoleCatalog;
  readonly #bindings: BindingStore;
  readonly #projects: ProjectStore;
  readonly #listeners = new Set<Listener>();
  #cached: Promise<AccessState> | undefined;
  #generation = 0;
  #unwatch: Unsubscribe[] = [];

  constructor(catalog: RoleCatalog, bindings: BindingStore, projects: ProjectStore) {
    this.#catalog = catalog;
    this.#bindings = bindings;
    this.#projects = projects;
    const clusterOf = (e: ChangeEvent<unknown>) =>
      (e.value as { clusterId?: string } | undefined)?.clusterId;
    const on = (e: ChangeEvent<unknown>) => this.#changed(clusterOf(e));
    this.#unwatch = [
      catalog.globalRoleRecords.watch(() => this.#changed(undefined)),
      catalog.templateRecords.watch(() => this.#changed(undefined)),
      bindings.global.watch(() => this.#changed(undefined)),
      bindings.cluster.watch(on),
      bindings.project.watch(on),
      projects.records.watch(on),
    ];
  }

  snapshot(): Promise<AccessState> {
    if (this.#cached === undefined) {
      const generation = this.#generation;
      const loading = this.#load();
      this.#cached = loading;
      // A failed read, or one that raced a change, must not be served again.
      loading.then(
        () => {
          if (generation !== this.#generation && this.#cached === loading) this.#cached = undefined;
        },
        () => {
          if (this.#cached === loading) this.#cached = undefined;
        },
      );
    }
    return this.#cached;
  }

  /** Forgets the cache now (a write on this replica, before its change event arrives). */
  invalidate(clusterId?: string): void {
    this.#changed(clusterId);
  }

  watch(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    for (const u of this.#unwatch) u();
    this.#unwatch = [];
    this.#listeners.clear();
  }

  #changed(clusterId: string | undefined): void {
    this.#generation++;
    this.#cached = undefined;
    for (const l of this.#listeners) l(clusterId);
  }

  async #load(): Promise<AccessState> {
    const [
      globalRoles,
      roleTemplates,
      globalRoleBindings,
      clusterRoleBindings,
      projectRoleBindings,
      projects,
    ] = await Promise.all([
      this.#catalog.globalRoles(),
      this.#catalog.roleTemplates(),
      this.#bindings.globalBindings(),
      this.#bindings.clusterBindings(),
      this.#bindings.projectBindings(),
      this.#projects.list(),
    ]);
    return {
      globalRoles,
      roleTemplates,
      globalRoleBindings,
      clusterRoleBindings,
      projectRoleBindings,
      projects,
    };
  }
}
