import { randomBytes } from 'node:crypto';
import type {
  ClusterConnection,
  ClusterHealth,
  ClusterImportMethod,
  ClusterRegistry,
  ClusterSummary,
} from '../domain/cluster.js';
import type { Logger } from '../domain/logger.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Collection, Store, StoredRecord, Unsubscribe } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import {
  type ClusterEndpointInput,
  type DirectImportInput,
  type KubeconfigImportInput,
  type ManifestCompletionInput,
  validateCa,
  validateEndpoint,
  validateId,
  validateName,
  validateToken,
} from './cluster-input.js';
import { type ClusterRecord, clustersCollection, credentialPlace } from './cluster-records.js';
import { createClusterTransport, type TransportOptions } from './cluster-transport.js';
import { probeClusterHealth } from './health-probe.js';
import { renderImportManifest } from './import-manifest.js';
import { readKubeconfigContext } from './kubeconfig-context.js';
import { type LiveCluster, LiveClusters } from './live-clusters.js';
import { installImportManifest, readServiceAccountTokens } from './manifest-installer.js';

/** What Paddock's own work on a cluster needs; the token is the manager's. Never log it. */
export interface ManagerConnection {
  readonly clusterId: string;
  readonly endpoint: URL;
  readonly dispatcher: LiveCluster['dispatcher'];
  readonly managerToken: string;
  readonly gate: ClusterConnection['gate'];
}

export interface ClusterRegistryOptions {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly logger: Logger;
  /** Epoch milliseconds. */
  readonly now?: () => number;
  readonly randomId?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Time between background health probes of every cluster. */
  readonly probeIntervalMs?: number;
  /** Deadline of each call a probe makes. */
  readonly probeTimeoutMs?: number;
  /** Deadline of each call made while importing. */
  readonly callTimeoutMs?: number;
  /** How long an import waits for the token controller to fill the token Secrets. */
  readonly tokenWaitMs?: number;
  readonly transport?: TransportOptions;
  readonly breaker?: CircuitBreakerOptions;
}

/**
 * The cluster registry: imports clusters, keeps their sealed credentials in the Store, holds one
 * keep-alive transport and circuit breaker per cluster, and probes their health in the
 * background. Implements the proxy's `ClusterRegistry` port.
 */
export class DatasourceClusterRegistry implements ClusterRegistry {
  readonly #clusters: Collection<ClusterRecord>;
  readonly #box: SecretBox;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #randomId: () => string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #probeIntervalMs: number;
  readonly #probeTimeoutMs: number;
  readonly #callTimeoutMs: number;
  readonly #tokenWaitMs: number;
  readonly #transportOptions: TransportOptions | undefined;
  readonly #live: LiveClusters;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: Unsubscribe | undefined;

  constructor(options: ClusterRegistryOptions) {
    this.#clusters = options.store.collection(clustersCollection);
    this.#box = options.secretBox;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#randomId = options.randomId ?? (() => `c-${randomBytes(4).toString('hex').slice(0, 7)}`);
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#probeIntervalMs = options.probeIntervalMs ?? 15_000;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
    this.#callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.#tokenWaitMs = options.tokenWaitMs ?? 30_000;
    this.#transportOptions = options.transport;
    this.#live = new LiveClusters({
      secretBox: options.secretBox,
      transport: options.transport,
      breaker: { now: this.#now, ...options.breaker },
    });
  }

  /**
   * Calls `listener` whenever a cluster is imported, completed, changes state or is removed,
   * on any replica, so background workers (RBAC push-down, capacity) act at once.
   */
  onChange(listener: (clusterId: string, removed: boolean) => void): Unsubscribe {
    return this.#clusters.watch((event) => listener(event.id, event.type === 'deleted'));
  }

  /** Starts the background health probes and follows changes made by other replicas. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#unwatch = this.#clusters.watch((event) => {
      // Another replica (or this one) deleted the cluster or changed its endpoint or tokens.
      if (event.type === 'deleted') void this.#live.drop(event.id);
      else if (event.value !== undefined) void this.#live.refresh(event.value);
    });
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.probeAll().finally(() => {
          if (this.#timer !== undefined) loop();
        });
      }, this.#probeIntervalMs);
      this.#timer.unref();
    };
    loop();
    void this.probeAll();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unwatch?.();
    await this.#live.closeAll();
  }

  // -- the proxy's port ------------------------------------------------------------------

  async connection(clusterId: string): Promise<ClusterConnection | undefined> {
    const cached = this.#live.peek(clusterId);
    if (cached !== undefined) return cached;
    const stored = await this.#clusters.get(clusterId);
    return stored === undefined ? undefined : this.#live.for(stored);
  }

  /**
   * Paddock's own access to a cluster with the manager token (RBAC push-down, namespaces,
   * quotas); undefined for an unknown cluster or one still waiting for its manifest.
   */
  async managerConnection(clusterId: string): Promise<ManagerConnection | undefined> {
    const stored = await this.#clusters.get(clusterId);
    if (stored === undefined || !stored.value.managerToken || !stored.value.endpoint)
      return undefined;
    const live = this.#live.for(stored);
    return {
      clusterId,
      endpoint: live.endpoint,
      dispatcher: live.dispatcher,
      managerToken: live.managerToken,
      gate: live.gate,
    };
  }

  // -- reads -------------------------------------------------------------------------------

  async list(): Promise<ClusterSummary[]> {
    const records = await this.#clusters.list();
    return records.map((r) => this.#summary(r.value)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(clusterId: string): Promise<ClusterSummary | undefined> {
    const stored = await this.#clusters.get(clusterId);
    return stored && this.#summary(stored.value);
  }

  /** The import manifest for a registered cluster (`GET /v1/import/{clusterId}.yaml`). */
  async importManifest(clusterId: string): Promise<string> {
    const stored = await this.#clusters.get(clusterId);
    if (stored === undefined) throw notFound(clusterId);
    return renderImportManifest(clusterId);
  }

  // -- imports -----------------------------------------------------------------------------

  /** Import (a): endpoint, CA and both tokens. */
  async importDirect(input: DirectImportInput): Promise<ClusterSummary> {
    const id = validateId(input.id ?? this.#randomId());
    const record = this.#newRecord(id, input.name, input.description, 'direct', {
      ...input,
      impersonatorToken: validateToken(input.impersonatorToken, 'impersonatorToken'),
      managerToken: validateToken(input.managerToken, 'managerToken'),
    });
    await this.#clusters.create(id, record);
    return this.#summary(await this.#probeStored(id));
  }

  /** Import (b): a kubeconfig context, by default installing the manifest with its token. */
  async importFromKubeconfig(input: KubeconfigImportInput): Promise<ClusterSummary> {
    const context = readKubeconfigContext(input.kubeconfig, {
      localFiles: input.localFiles,
      context: input.context,
      baseDir: input.baseDir,
    });
    const id = validateId(input.id ?? this.#randomId());
    const endpoint: ClusterEndpointInput = context;
    const tokens =
      input.credentials === 'context'
        ? { impersonatorToken: context.token, managerToken: context.token }
        : await this.#installAndReadTokens(id, endpoint, context.token);
    const record = this.#newRecord(
      id,
      input.name ?? context.contextName,
      input.description,
      'kubeconfig',
      { ...endpoint, ...tokens },
    );
    await this.#clusters.create(id, record);
    return this.#summary(await this.#probeStored(id));
  }

  /** Import (c), first half: registers a pending cluster whose manifest can then be fetched. */
  async createPendingImport(input: {
    id?: string;
    name: string;
    description?: string;
  }): Promise<ClusterSummary> {
    const id = validateId(input.id ?? this.#randomId());
    const now = this.#now();
    const record: ClusterRecord = {
      id,
      name: validateName(input.name),
      description: input.description ?? '',
      importMethod: 'manifest',
      endpoint: '',
      dangerouslySkipTlsVerify: false,
      createdAt: now,
      updatedAt: now,
      health: { state: 'pending', message: 'waiting for the import manifest to be applied' },
    };
    await this.#clusters.create(id, record);
    return this.#summary(record);
  }

  /**
   * Import (c), second half: the manifest was applied; read the token Secrets with a one-time
   * operator token (never stored), or take the two tokens as given.
   */
  async completeManifestImport(
    clusterId: string,
    input: ManifestCompletionInput,
  ): Promise<ClusterSummary> {
    const stored = await this.#clusters.get(clusterId);
    if (stored === undefined) throw notFound(clusterId);
    const tokens =
      'bootstrapToken' in input
        ? await this.#readTokens(input, validateToken(input.bootstrapToken, 'bootstrapToken'))
        : { impersonatorToken: input.impersonatorToken, managerToken: input.managerToken };
    const fresh = this.#newRecord(
      clusterId,
      stored.value.name,
      stored.value.description,
      'manifest',
      {
        ...input,
        impersonatorToken: validateToken(tokens.impersonatorToken, 'impersonatorToken'),
        managerToken: validateToken(tokens.managerToken, 'managerToken'),
      },
    );
    await this.#clusters.update(
      clusterId,
      { ...fresh, createdAt: stored.value.createdAt },
      { resourceVersion: stored.resourceVersion },
    );
    return this.#summary(await this.#probeStored(clusterId));
  }

  /** Renames or re-describes a cluster; credentials and health are left as they are. */
  async update(
    clusterId: string,
    changes: { readonly name?: string; readonly description?: string },
  ): Promise<ClusterSummary> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.#clusters.get(clusterId);
      if (stored === undefined) throw notFound(clusterId);
      const next: ClusterRecord = {
        ...stored.value,
        ...(changes.name === undefined ? {} : { name: validateName(changes.name) }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        updatedAt: this.#now(),
      };
      try {
        const written = await this.#clusters.update(clusterId, next, {
          resourceVersion: stored.resourceVersion,
        });
        return this.#summary(written.value);
      } catch (err) {
        // A health probe wrote the record meanwhile; apply the change to its version.
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
      }
    }
  }

  async remove(clusterId: string): Promise<boolean> {
    await this.#live.drop(clusterId);
    return this.#clusters.delete(clusterId);
  }

  // -- health ------------------------------------------------------------------------------

  /** Probes every cluster with credentials, concurrently; one slow cluster delays no other. */
  async probeAll(): Promise<void> {
    const records = await this.#clusters.list().catch((err: unknown) => {
      this.#log.warn({ err }, 'cluster registry: cannot list clusters to probe');
      return [];
    });
    await Promise.all(records.map((r) => this.#probeRecord(r).catch(() => undefined)));
  }

  /** Probes one cluster now and returns its new health. */
  async probe(clusterId: string): Promise<ClusterHealth> {
    const stored = await this.#clusters.get(clusterId);
    if (stored === undefined) throw notFound(clusterId);
    return this.#probeRecord(stored);
  }

  async #probeStored(id: string): Promise<ClusterRecord> {
    const stored = await this.#clusters.get(id);
    if (stored === undefined) throw notFound(id);
    const health = await this.#probeRecord(stored);
    return { ...stored.value, health };
  }

  async #probeRecord(stored: StoredRecord<ClusterRecord>): Promise<ClusterHealth> {
    if (!stored.value.impersonatorToken) return this.#healthOf(stored.value);
    const live = this.#live.for(stored);
    const health = await probeClusterHealth({
      endpoint: live.endpoint,
      dispatcher: live.dispatcher,
      managerToken: live.managerToken,
      impersonatorToken: live.impersonatorToken,
      timeoutMs: this.#probeTimeoutMs,
      now: this.#now,
    });
    this.#applyHealth(live, health);
    if (stored.value.health?.state !== health.state) {
      this.#log.info(
        { clusterId: live.clusterId, state: health.state, message: health.message },
        'cluster health changed',
      );
      await this.#clusters
        .update(
          stored.value.id,
          { ...stored.value, health },
          {
            resourceVersion: stored.resourceVersion,
          },
        )
        .catch((err: unknown) => {
          if (!hasErrorCode(err, 'CONFLICT') && !hasErrorCode(err, 'NOT_FOUND')) throw err;
        });
    }
    return health;
  }

  #applyHealth(live: LiveCluster, health: ClusterHealth): void {
    live.health = health;
    if (health.state === 'unavailable') live.breaker.trip();
    else live.breaker.recordSuccess();
  }

  #healthOf(record: ClusterRecord): ClusterHealth {
    return (
      this.#live.peek(record.id)?.health ??
      record.health ?? { state: 'unavailable', message: 'not probed yet' }
    );
  }

  #summary(record: ClusterRecord): ClusterSummary {
    return {
      id: record.id,
      name: record.name,
      description: record.description,
      endpoint: record.endpoint,
      importMethod: record.importMethod,
      dangerouslySkipTlsVerify: record.dangerouslySkipTlsVerify,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      health: this.#healthOf(record),
    };
  }

  #newRecord(
    id: string,
    name: string,
    description: string | undefined,
    importMethod: ClusterImportMethod,
    input: ClusterEndpointInput & { impersonatorToken: string; managerToken: string },
  ): ClusterRecord {
    const now = this.#now();
    return {
      id,
      name: validateName(name),
      description: description ?? '',
      importMethod,
      endpoint: validateEndpoint(input.endpoint),
      caPem: validateCa(input.caPem),
      tlsServerName: input.tlsServerName,
      dangerouslySkipTlsVerify: input.dangerouslySkipTlsVerify === true,
      impersonatorToken: this.#box.seal(
        input.impersonatorToken,
        credentialPlace(id, 'impersonatorToken'),
      ),
      managerToken: this.#box.seal(input.managerToken, credentialPlace(id, 'managerToken')),
      createdAt: now,
      updatedAt: now,
    };
  }

  async #installAndReadTokens(id: string, endpoint: ClusterEndpointInput, token: string) {
    return this.#withTransport(endpoint, async (target) => {
      await installImportManifest(target, token, id, this.#callTimeoutMs);
      return this.#readTokensWith(target, token);
    });
  }

  async #readTokens(endpoint: ClusterEndpointInput, bootstrapToken: string) {
    return this.#withTransport(endpoint, (target) => this.#readTokensWith(target, bootstrapToken));
  }

  #readTokensWith(target: { endpoint: URL; dispatcher: LiveCluster['dispatcher'] }, token: string) {
    return readServiceAccountTokens(target, token, {
      timeoutMs: this.#callTimeoutMs,
      waitMs: this.#tokenWaitMs,
      now: this.#now,
      sleep: this.#sleep,
    });
  }

  // A short-lived transport for the operator's bootstrap token, closed right after.
  async #withTransport<T>(
    input: ClusterEndpointInput,
    use: (target: { endpoint: URL; dispatcher: LiveCluster['dispatcher'] }) => Promise<T>,
  ): Promise<T> {
    const endpoint = new URL(validateEndpoint(input.endpoint));
    const transport = createClusterTransport(
      {
        endpoint,
        caPem: validateCa(input.caPem),
        tlsServerName: input.tlsServerName,
        dangerouslySkipTlsVerify: input.dangerouslySkipTlsVerify === true,
      },
      this.#transportOptions,
    );
    try {
      return await use({ endpoint, dispatcher: transport.dispatcher });
    } finally {
      await transport.close();
    }
  }
}

function notFound(clusterId: string): PaddockError {
  return new PaddockError('NOT_FOUND', `cluster ${clusterId} not found`, {
    reason: 'cluster_not_found',
  });
}
