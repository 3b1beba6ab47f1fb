/**
 * The GraphQL layer's `GlobalAuthorizer`, answered by global roles through `can`, plus the two
 * things identity asks of authorization: granting a new user the `newUserDefault` global roles
 * once (as Rancher does at first login), and whether principals hold any membership (for a
 * provider in `restricted` access mode).
 */
import type { ScopedAccessCheck, ToolScope } from '../domain/alerting.js';
import type { GlobalAccessRequest, GlobalAuthorizer } from '../domain/global-authorizer.js';
import type { Identity } from '../domain/identity.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import { GLOBAL_SCOPE, memberClusterIds } from '../rbac/index.js';
import { clusterScope } from './access-guard.js';
import { type AccessRuntime, systemAccessRuntime } from './access-runtime.js';
import type { StoreAccessState } from './access-state.js';
import type { BindingStore } from './binding-store.js';
import { callerCan, callerMayReach, subjectOf } from './caller-policy.js';
import { type DefaultRolesGrantedRecord, defaultRolesGrantedCollection } from './collections.js';

export class AccessAuthorizer implements GlobalAuthorizer, ScopedAccessCheck {
  readonly #state: StoreAccessState;
  readonly #bindings: BindingStore;
  readonly #granted: Collection<DefaultRolesGrantedRecord>;
  readonly #runtime: AccessRuntime;
  readonly #known = new Set<string>();

  constructor(
    store: Store,
    state: StoreAccessState,
    bindings: BindingStore,
    runtime: AccessRuntime = systemAccessRuntime,
  ) {
    this.#state = state;
    this.#bindings = bindings;
    this.#granted = store.collection(defaultRolesGrantedCollection);
    this.#runtime = runtime;
  }

  async allows(identity: Identity, request: GlobalAccessRequest): Promise<boolean> {
    await this.ensureDefaultRoles(identity.userId);
    // One named cluster is also decided by the caller's bindings on it (ADR 0011).
    const scope =
      request.resource === 'clusters' && request.name !== undefined
        ? clusterScope(request.name)
        : GLOBAL_SCOPE;
    return callerCan(await this.#state.snapshot(), identity, request, scope);
  }

  /** May the caller call one of Paddock's own URLs, e.g. `get /metrics` (`view-metrics`)? */
  async allowsUrl(identity: Identity, request: { verb: string; path: string }): Promise<boolean> {
    await this.ensureDefaultRoles(identity.userId);
    return callerMayReach(await this.#state.snapshot(), identity, request);
  }

  /** The same check at a cluster or project: its bindings count besides the global roles. */
  async allowsIn(
    identity: Identity,
    request: GlobalAccessRequest,
    scope: ToolScope,
  ): Promise<boolean> {
    await this.ensureDefaultRoles(identity.userId);
    return callerCan(
      await this.#state.snapshot(),
      identity,
      request,
      scope.projectId === undefined
        ? { kind: 'cluster', clusterId: scope.clusterId }
        : { kind: 'project', clusterId: scope.clusterId, projectId: scope.projectId },
    );
  }

  async visibleClusterIds(identity: Identity): Promise<'all' | ReadonlySet<string>> {
    await this.ensureDefaultRoles(identity.userId);
    const visible = memberClusterIds(await this.#state.snapshot(), subjectOf(identity));
    const scopedTo = identity.scope?.clusterId;
    if (scopedTo === undefined) return visible;
    return visible === 'all' || visible.has(scopedTo) ? new Set([scopedTo]) : new Set();
  }

  /** Binds the `newUserDefault` global roles to a user the first time it is seen. */
  async ensureDefaultRoles(userId: string): Promise<void> {
    if (this.#known.has(userId)) return;
    if (await this.#granted.get(userId)) {
      this.#known.add(userId);
      return;
    }
    const state = await this.#state.snapshot();
    const defaults = state.globalRoles.filter((r) => r.newUserDefault).map((r) => r.id);
    for (const id of defaults) {
      await this.#bindings.bindGlobal(id, { kind: 'user', userId }).catch((err: unknown) => {
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      });
    }
    await this.#granted
      .create(userId, { userId, grantedAt: this.#runtime.now(), globalRoleIds: defaults })
      .catch((err: unknown) => {
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      });
    this.#state.invalidate();
    this.#known.add(userId);
  }

  /**
   * Grants a global role outright, without a caller (the bootstrap admin), and marks the user
   * as initialised so it does not also receive the defaults.
   */
  async grantGlobalRole(userId: string, globalRoleId: string): Promise<void> {
    await this.#bindings
      .bindGlobal(globalRoleId, { kind: 'user', userId })
      .catch((err: unknown) => {
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      });
    await this.#granted
      .create(userId, { userId, grantedAt: this.#runtime.now(), globalRoleIds: [globalRoleId] })
      .catch((err: unknown) => {
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      });
    this.#state.invalidate();
  }

  /**
   * Makes `userId` admin if nobody holds the admin global role (a store from before
   * authorization existed, or one whose last admin binding was removed by hand).
   */
  async ensureSomeAdmin(userId: string): Promise<boolean> {
    const state = await this.#state.snapshot();
    if (state.globalRoleBindings.some((b) => b.globalRoleId === 'admin')) return false;
    await this.grantGlobalRole(userId, 'admin');
    return true;
  }

  /** True when one of the principals is bound on some cluster or project (identity's MembershipCheck). */
  async hasAnyMembership(principalIds: readonly string[]): Promise<boolean> {
    const state = await this.#state.snapshot();
    const names = (s: { kind: string; principalId?: string; userId?: string }) =>
      s.kind === 'group' ? [s.principalId] : [s.principalId, `local://${s.userId}`];
    return [...state.clusterRoleBindings, ...state.projectRoleBindings].some((b) =>
      names(b.subject).some((n) => n !== undefined && principalIds.includes(n)),
    );
  }
}
