/**
 * Removes cluster imports that never became active within the import TTL (a setting): a
 * pending import nobody completed, or an import whose endpoint never answered as a Kubernetes
 * API server. The creator's cluster-owner binding goes with it. Several replicas may sweep at
 * once: a removal is conditional on the record's version, and forgetting bindings is
 * idempotent.
 */
import type { ClusterAuditSink } from '../domain/audit.js';
import type { ClusterOwnership } from '../domain/cluster-ownership.js';
import type { Controller } from '../domain/controller.js';
import type { Logger } from '../domain/logger.js';
import type { DatasourceClusterRegistry } from './cluster-registry.js';

export interface PendingImportSweeperOptions {
  readonly registry: Pick<DatasourceClusterRegistry, 'expiredImports' | 'removeUnchanged'>;
  readonly ownership: ClusterOwnership;
  readonly audit: ClusterAuditSink;
  readonly logger: Logger;
  /** The TTL now (read from the settings at every sweep). */
  readonly ttlMs: () => Promise<number>;
  /** Epoch milliseconds; injectable so tests move time instead of sleeping. */
  readonly now?: () => number;
  /** Time between sweeps; default 10 minutes. */
  readonly intervalMs?: number;
}

/** A controller: one replica at a time sweeps, through a lease in the store. */
export class PendingImportSweeper implements Controller {
  readonly name = 'import-sweeper';
  readonly #o: PendingImportSweeperOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<string[]> | undefined;

  constructor(options: PendingImportSweeperOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Removes every expired import now; answers the ids removed. */
  async sweep(): Promise<string[]> {
    const now = this.#now();
    const expired = await this.#o.registry.expiredImports(now - (await this.#o.ttlMs()));
    const removed: string[] = [];
    for (const record of expired) {
      const id = record.value.id;
      if (!(await this.#o.registry.removeUnchanged(id, record.resourceVersion))) continue;
      await this.#o.ownership.forgetCluster(id);
      removed.push(id);
      this.#o.audit.write({
        kind: 'cluster-admin',
        at: now,
        action: 'expire',
        clusterId: id,
        outcome: 'success',
      });
      this.#o.logger.info(
        { clusterId: id, createdAt: record.value.createdAt, createdBy: record.value.createdBy },
        'removed a cluster import that never became active',
      );
    }
    return removed;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.sweep()
        .catch((err: unknown) => {
          this.#o.logger.warn({ err }, 'sweeping expired cluster imports failed');
          return [];
        })
        .finally(() => {
          this.#running = undefined;
        });
    }, this.#o.intervalMs ?? 600_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
