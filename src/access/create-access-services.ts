/** Builds the access adapter over one Store: the composition root calls this once. */
import type {
  DownstreamRbacReader,
  NamespaceAssigner,
  RbacSyncStatusReader,
} from '../domain/rbac-downstream.js';
import type { Store } from '../domain/store.js';
import type { UserPrincipalLookup } from '../rbac/index.js';
import { AccessAuthorizer } from './access-authorizer.js';
import { type AccessRuntime, systemAccessRuntime } from './access-runtime.js';
import { AccessService } from './access-service.js';
import { StoreAccessState } from './access-state.js';
import { BindingStore } from './binding-store.js';
import { StoreClusterOwnership } from './cluster-ownership.js';
import type { UserGroupsLookup } from './explain.js';
import { ProjectStore } from './project-store.js';
import { RoleCatalog } from './role-catalog.js';
import { AccessUserRights } from './user-rights.js';

export interface AccessServicesOptions {
  readonly store: Store;
  readonly userForPrincipal: UserPrincipalLookup;
  /**
   * For a user principal nobody logged in with yet: makes its Paddock user when the provider
   * knows it, so it can be bound now (identity's `provisionUser`).
   */
  readonly provisionUser?: UserPrincipalLookup;
  readonly groupsOfUser: UserGroupsLookup;
  readonly downstream?: DownstreamRbacReader;
  readonly syncStatus?: RbacSyncStatusReader;
  /** Writes namespace ↔ project labels downstream (the push-down controller). */
  readonly namespaces?: NamespaceAssigner;
  readonly runtime?: AccessRuntime;
}

export interface AccessServices {
  readonly catalog: RoleCatalog;
  readonly bindings: BindingStore;
  readonly projects: ProjectStore;
  /** The push-down's `AccessStateSource`. */
  readonly state: StoreAccessState;
  /** The GraphQL layer's `GlobalAuthorizer`; also `hasAnyMembership` for identity. */
  readonly authorizer: AccessAuthorizer;
  /** The GraphQL layer's `AccessAdmin`. */
  readonly service: AccessService;
  /** Identity's `UserRights`, for user management. */
  readonly userRights: AccessUserRights;
  /** Cluster registration's `ClusterOwnership`: creators own, removals forget. */
  readonly ownership: StoreClusterOwnership;
  close(): void;
}

export function createAccessServices(options: AccessServicesOptions): AccessServices {
  const runtime = options.runtime ?? systemAccessRuntime;
  const catalog = new RoleCatalog(options.store);
  const bindings = new BindingStore(options.store, runtime);
  const projects = new ProjectStore(options.store, runtime);
  const state = new StoreAccessState(catalog, bindings, projects);
  const authorizer = new AccessAuthorizer(options.store, state, bindings, runtime);
  const service = new AccessService({
    catalog,
    bindings,
    projects,
    state,
    userForPrincipal: options.userForPrincipal,
    ...(options.provisionUser ? { provisionUser: options.provisionUser } : {}),
    groupsOfUser: options.groupsOfUser,
    ...(options.downstream ? { downstream: options.downstream } : {}),
    ...(options.syncStatus ? { syncStatus: options.syncStatus } : {}),
    ...(options.namespaces ? { namespaces: options.namespaces } : {}),
  });
  const userRights = new AccessUserRights(options.store, state, bindings);
  const ownership = new StoreClusterOwnership(bindings, projects, state);
  return {
    catalog,
    bindings,
    projects,
    state,
    authorizer,
    service,
    userRights,
    ownership,
    close: () => state.close(),
  };
}
