/**
 * The `ClusterAdmin` port: cluster registration as callers may do it (ADR 0011). Creating is
 * the global `create clusters` right and makes the creator cluster-owner; completing a pending
 * import is for its creator or whoever may `update` that cluster; changing the connection,
 * renaming and removing need `update`/`delete` on that very cluster. Every attempt is audited,
 * and a failure to reach a user-named endpoint reads "cannot reach endpoint" whatever happened
 * on the wire (the detail goes to the log with the request id).
 */

import type { ClusterAuditAction, ClusterAuditSink } from '../domain/audit.js';
import type { ClusterSummary, ClusterTransportKind } from '../domain/cluster.js';
import type {
  ClusterAdmin,
  ClusterAdminCaller,
  ClusterChanges,
  ClusterConnectionChange,
  ClusterNameSpec,
  DirectClusterImport,
  KubeconfigClusterImport,
  ManifestImportCompletion,
} from '../domain/cluster-admin.js';
import type { ClusterOwnership } from '../domain/cluster-ownership.js';
import type { GlobalAuthorizer } from '../domain/global-authorizer.js';
import type { Identity } from '../domain/identity.js';
import type { Logger } from '../domain/logger.js';
import { UNREACHABLE_ENDPOINT_MESSAGE } from '../domain/outbound-guard.js';
import { hasErrorCode, isPaddockError, PaddockError } from '../errors/index.js';
import type { DatasourceClusterRegistry } from './cluster-registry.js';

export interface ClusterAdminServiceOptions {
  readonly registry: DatasourceClusterRegistry;
  readonly authorizer: GlobalAuthorizer;
  readonly ownership: ClusterOwnership;
  readonly audit: ClusterAuditSink;
  readonly logger: Logger;
  /** Epoch milliseconds, for audit events. */
  readonly now?: () => number;
}

type Verb = 'update' | 'delete';

export class ClusterAdminService implements ClusterAdmin {
  readonly #o: ClusterAdminServiceOptions;
  readonly #now: () => number;

  constructor(options: ClusterAdminServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  importDirect(caller: ClusterAdminCaller, input: DirectClusterImport): Promise<ClusterSummary> {
    const id = input.id ?? this.#o.registry.newId();
    return this.#audited(caller, 'import', id, input.endpoint, async () => {
      await this.#requireCreate(caller);
      const summary = await this.#dialling(caller, id, () =>
        this.#o.registry.importDirect({ ...input, id, createdBy: caller.identity.userId }),
      );
      await this.#o.ownership.grantOwner(id, caller.identity.userId);
      return summary;
    });
  }

  importFromKubeconfig(
    caller: ClusterAdminCaller,
    input: KubeconfigClusterImport,
  ): Promise<ClusterSummary> {
    const id = input.id ?? this.#o.registry.newId();
    return this.#audited(caller, 'import', id, undefined, async () => {
      await this.#requireCreate(caller);
      const summary = await this.#dialling(caller, id, () =>
        this.#o.registry.importFromKubeconfig({
          ...input,
          id,
          // A kubeconfig that came through the API never makes Paddock read a file.
          localFiles: 'refuse',
          createdBy: caller.identity.userId,
        }),
      );
      await this.#o.ownership.grantOwner(id, caller.identity.userId);
      return summary;
    });
  }

  createPendingImport(
    caller: ClusterAdminCaller,
    input: ClusterNameSpec & { readonly transport?: ClusterTransportKind },
  ): Promise<ClusterSummary> {
    const id = input.id ?? this.#o.registry.newId();
    return this.#audited(caller, 'create-import', id, undefined, async () => {
      await this.#requireCreate(caller);
      const summary = await this.#o.registry.createPendingImport({
        ...input,
        id,
        createdBy: caller.identity.userId,
      });
      await this.#o.ownership.grantOwner(id, caller.identity.userId);
      return summary;
    });
  }

  async importManifest(
    caller: ClusterAdminCaller,
    clusterId: string,
    context: { readonly baseUrl?: string } = {},
  ): Promise<string> {
    await this.#requireCreatorOr(caller, clusterId);
    return this.#o.registry.importManifest(clusterId, context);
  }

  /**
   * Whether `identity` may read the cluster's import manifest (its creator, or whoever may
   * `update` it): the check behind `GET /v1/import/{id}.yaml`, since an agent cluster's
   * manifest carries its registration secret.
   */
  async mayReadImportManifest(identity: Identity, clusterId: string): Promise<boolean> {
    try {
      await this.#requireCreatorOr({ identity, requestId: '' }, clusterId);
      return true;
    } catch (err) {
      if (hasErrorCode(err, 'FORBIDDEN')) return false;
      throw err;
    }
  }

  rotateAgentSecret(caller: ClusterAdminCaller, clusterId: string): Promise<ClusterSummary> {
    return this.#audited(caller, 'rotate-agent-secret', clusterId, undefined, async () => {
      await this.#require(caller, 'update', clusterId);
      return this.#o.registry.rotateAgentSecret(clusterId);
    });
  }

  completeManifestImport(
    caller: ClusterAdminCaller,
    clusterId: string,
    input: ManifestImportCompletion,
  ): Promise<ClusterSummary> {
    return this.#audited(caller, 'complete-import', clusterId, input.endpoint, async () => {
      await this.#requireCreatorOr(caller, clusterId);
      return this.#dialling(caller, clusterId, () =>
        this.#o.registry.completeManifestImport(clusterId, input),
      );
    });
  }

  updateConnection(
    caller: ClusterAdminCaller,
    clusterId: string,
    input: ClusterConnectionChange,
  ): Promise<ClusterSummary> {
    return this.#audited(caller, 'update-connection', clusterId, input.endpoint, async () => {
      await this.#require(caller, 'update', clusterId);
      return this.#dialling(caller, clusterId, () =>
        this.#o.registry.updateConnection(clusterId, input),
      );
    });
  }

  update(
    caller: ClusterAdminCaller,
    clusterId: string,
    changes: ClusterChanges,
  ): Promise<ClusterSummary> {
    return this.#audited(caller, 'update', clusterId, undefined, async () => {
      await this.#require(caller, 'update', clusterId);
      return this.#o.registry.update(clusterId, changes);
    });
  }

  remove(caller: ClusterAdminCaller, clusterId: string): Promise<boolean> {
    return this.#audited(caller, 'remove', clusterId, undefined, async () => {
      await this.#require(caller, 'delete', clusterId);
      const removed = await this.#o.registry.remove(clusterId);
      // Its bindings and projects go too, so a later cluster with this id has no members.
      if (removed) await this.#o.ownership.forgetCluster(clusterId);
      return removed;
    });
  }

  // -- authorization -------------------------------------------------------------------------

  async #requireCreate(caller: ClusterAdminCaller): Promise<void> {
    const request = { verb: 'create', resource: 'clusters' };
    if (!(await this.#o.authorizer.allows(caller.identity, request))) {
      throw forbidden('you may not create clusters');
    }
  }

  /** `update`/`delete` on this cluster: a global role, or a binding on it (cluster-owner). */
  async #require(caller: ClusterAdminCaller, verb: Verb, clusterId: string): Promise<void> {
    const request = { verb, resource: 'clusters', name: clusterId };
    if (!(await this.#o.authorizer.allows(caller.identity, request))) {
      throw forbidden(`you may not ${verb} cluster ${clusterId}`);
    }
  }

  /**
   * The creator of the import, or whoever may update the cluster. Permission is decided
   * before existence, so a caller without it cannot learn which cluster ids exist.
   */
  async #requireCreatorOr(caller: ClusterAdminCaller, clusterId: string): Promise<void> {
    const cluster = await this.#o.registry.get(clusterId);
    const { identity } = caller;
    const scopedElsewhere =
      identity.scope?.clusterId !== undefined && identity.scope.clusterId !== clusterId;
    const creator =
      cluster?.createdBy !== undefined && cluster.createdBy === identity.userId && !scopedElsewhere;
    if (!creator) await this.#require(caller, 'update', clusterId);
    if (cluster === undefined) {
      throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found`, {
        reason: 'cluster_not_found',
      });
    }
  }

  // -- outbound failures and audit -----------------------------------------------------------

  /**
   * Runs a step that dials an endpoint the caller named. Whatever went wrong on the wire
   * (refused, reset, timed out, TLS, not a Kubernetes API server) reads the same, so the
   * answer cannot map ports or hosts; the detail is logged with the request id.
   */
  async #dialling<T>(caller: ClusterAdminCaller, clusterId: string, step: () => Promise<T>) {
    try {
      return await step();
    } catch (err) {
      if (!isOutboundFailure(err)) throw err;
      this.#o.logger.warn(
        { reqId: caller.requestId, clusterId, userId: caller.identity.userId, err },
        'an endpoint a user named could not be reached',
      );
      throw new PaddockError('UPSTREAM_UNAVAILABLE', UNREACHABLE_ENDPOINT_MESSAGE, {
        reason: 'endpoint_unreachable',
      });
    }
  }

  async #audited<T>(
    caller: ClusterAdminCaller,
    action: ClusterAuditAction,
    clusterId: string,
    endpoint: string | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    const base = {
      kind: 'cluster-admin' as const,
      action,
      clusterId,
      requestId: caller.requestId,
      userId: caller.identity.userId,
      username: caller.identity.username,
      ...(endpoint === undefined ? {} : { endpoint }),
    };
    try {
      const result = await run();
      this.#o.audit.write({ ...base, at: this.#now(), outcome: 'success' });
      return result;
    } catch (err) {
      const code = isPaddockError(err) ? err.code : 'INTERNAL';
      this.#o.audit.write({
        ...base,
        at: this.#now(),
        outcome: code === 'FORBIDDEN' ? 'denied' : 'failed',
        error: code,
      });
      throw err;
    }
  }
}

/** What must not be told apart: anything but a decision made before or after the wire. */
function isOutboundFailure(err: unknown): boolean {
  if (!isPaddockError(err)) return true;
  if (err.reason === 'token_not_ready') return false;
  return ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_RESET'].includes(err.code);
}

function forbidden(message: string): PaddockError {
  return new PaddockError('FORBIDDEN', message, { reason: 'missing_permission' });
}
