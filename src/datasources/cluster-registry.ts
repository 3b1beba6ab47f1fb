import { randomBytes } from 'node:crypto';
import {
  type ClusterConnection,
  type ClusterHealth,
  type ClusterRegistry,
  type ClusterSummary,
  isAnswering,
} from '../domain/cluster.js';
import type { Logger } from '../domain/logger.js';
import type { OutboundGuard } from '../domain/outbound-guard.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Collection, Store, StoredRecord, Unsubscribe } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { ClusterHealthKeeper } from './cluster-health.js';
import {
  type ClusterEndpointInput,
  type ConnectionChangeInput,
  type DirectImportInput,
  type KubeconfigImportInput,
  type ManifestCompletionInput,
  validateEndpoint,
  validateId,
  validateName,
  validateToken,
} from './cluster-input.js';
import { type ClusterRecord, clustersCollection, isPendingRecord } from './cluster-records.js';
import type { TransportOptions } from './cluster-transport.js';
import type { HealthVerdictOptions } from './health-verdict.js';
import { renderImportManifest } from './import-manifest.js';
import { type ImportSessionOptions, installAndReadTokens, readTokens } from './import-session.js';
import { readKubeconfigContext } from './kubeconfig-context.js';
import { type LiveCluster, LiveClusters } from './live-clusters.js';
import { importedBy, newClusterRecord, summaryOf } from './new-cluster-record.js';
import { toStoredHealth } from './stored-health.js';
import { AGENT_NAME, agentManifestObjects } from './tunnel/agent-manifest.js';
import { AgentRegistrations, agentCluster } from './tunnel/agent-registrations.js';
import type { TunnelHub } from './tunnel/tunnel-hub.js';
import type { AgentRegistration } from './tunnel/tunnel-protocol.js';

/** What Paddock's own work on a cluster needs; the token is the manager's. Never log it. */
export interface ManagerConnection {
  readonly clusterId: string;
  readonly endpoint: URL;
  readonly dispatcher: LiveCluster['dispatcher'];
  readonly managerToken: string;
  readonly gate: ClusterConnection['gate'];
  /** Shared HTTP/2 connections for watches when the cluster offers them (informers). */
  readonly upstream?: ClusterConnection['upstream'];
}

export interface ClusterRegistryOptions {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly logger: Logger;
  /** Epoch milliseconds. */
  readonly now?: () => number;
  readonly randomId?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Time between background health probes of each cluster; default 2 s. */
  readonly probeIntervalMs?: number;
  /** Deadline of each call a probe makes (no answer by then counts as down); default 10 s. */
  readonly probeTimeoutMs?: number;
  /** Health hysteresis and the slow threshold (see health-verdict.ts). */
  readonly healthVerdict?: Omit<HealthVerdictOptions, 'now'>;
  /** Deadline of each call made while importing. */
  readonly callTimeoutMs?: number;
  /** How long an import waits for the token controller to fill the token Secrets. */
  readonly tokenWaitMs?: number;
  readonly transport?: TransportOptions;
  readonly breaker?: CircuitBreakerOptions;
  /**
   * Checks every address dialled for a cluster, and each endpoint before an import stores it
   * (ADR 0011); absent = no network restriction (unit tests).
   */
  readonly outbound?: OutboundGuard;
  /** This replica's agent tunnels; without it agent clusters cannot be reached (ADR 0017). */
  readonly tunnels?: TunnelHub;
  /** What an agent import's manifest needs besides the cluster: the agent's image, Paddock's CA. */
  readonly agentManifest?: AgentManifestSettings;
}

export interface AgentManifestSettings {
  readonly image: string;
  /** PEM of the CA of Paddock's serving certificate, for the agent to trust. */
  readonly serverCaPem?: string;
  /** Paddock's configured public URL (the `server-url` setting), if any. */
  readonly serverUrl?: () => Promise<string | undefined>;
}

/** Tokens as the caller gave them, or a one-time token to read them with. */
type TokenSource =
  | { readonly bootstrapToken: string }
  | { readonly impersonatorToken: string; readonly managerToken: string };

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
  readonly #health: ClusterHealthKeeper;
  readonly #session: ImportSessionOptions;
  readonly #outbound: OutboundGuard | undefined;
  readonly #live: LiveClusters;
  readonly #agents: AgentRegistrations;
  readonly #tunnels: TunnelHub | undefined;
  readonly #agentManifest: AgentManifestSettings | undefined;
  #unwatchTunnels: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: Unsubscribe | undefined;
  /** Aborted by `stop`, so probes under way end at once instead of at their deadline. */
  #background: AbortController | undefined;

  constructor(options: ClusterRegistryOptions) {
    this.#clusters = options.store.collection(clustersCollection);
    this.#box = options.secretBox;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#randomId = options.randomId ?? (() => `c-${randomBytes(4).toString('hex').slice(0, 7)}`);
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#probeIntervalMs = options.probeIntervalMs ?? 2_000;
    this.#outbound = options.outbound;
    const transport = options.outbound
      ? { ...options.transport, outbound: options.outbound }
      : options.transport;
    this.#session = {
      transport,
      callTimeoutMs: options.callTimeoutMs ?? 10_000,
      tokenWaitMs: options.tokenWaitMs ?? 30_000,
      now: this.#now,
      sleep: this.#sleep,
    };
    this.#tunnels = options.tunnels;
    this.#agentManifest = options.agentManifest;
    this.#agents = new AgentRegistrations({
      clusters: this.#clusters,
      secretBox: options.secretBox,
      now: this.#now,
    });
    this.#live = new LiveClusters({
      secretBox: options.secretBox,
      transport,
      breaker: { now: this.#now, ...options.breaker },
      ...(options.tunnels === undefined ? {} : { tunnels: options.tunnels }),
    });
    this.#health = new ClusterHealthKeeper({
      clusters: this.#clusters,
      live: this.#live,
      logger: this.#log,
      now: this.#now,
      probeTimeoutMs: options.probeTimeoutMs ?? 10_000,
      outbound: options.outbound,
      signal: () => this.#background?.signal,
      ...(options.healthVerdict === undefined ? {} : { verdict: options.healthVerdict }),
      ...(options.tunnels === undefined ? {} : { tunnels: options.tunnels }),
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
    this.#background = new AbortController();
    this.#unwatch = this.#clusters.watch((event) => {
      // Another replica (or this one) deleted the cluster or changed its endpoint or tokens.
      if (event.type === 'deleted') {
        void this.#live.drop(event.id);
        this.#tunnels?.closeCluster(event.id, 'the cluster was removed');
      } else if (event.value !== undefined) {
        void this.#live.refresh(event.value);
        this.#dropStaleAgents(event.value);
      }
    });
    // An agent came or went here: its cluster's health changes now, not at the next round.
    this.#unwatchTunnels = this.#tunnels?.onChange((clusterId) => {
      void this.probe(clusterId).catch(() => undefined);
    });
    // Each cluster is probed again once its last probe is over: a slow one never holds up
    // the others' schedule.
    const loop = () => {
      this.#timer = setTimeout(() => {
        void this.#health.probeDue().finally(() => {
          if (this.#timer !== undefined) loop();
        });
      }, this.#probeIntervalMs);
      this.#timer.unref();
    };
    loop();
    void this.#health.probeDue();
  }

  /**
   * Re-reads every cluster this replica holds connections for: after a gap in the change feed
   * a deleted cluster must not stay reachable here, nor a replaced token stay in use.
   */
  async resync(): Promise<void> {
    for (const live of this.#live.all()) {
      const stored = await this.#clusters.get(live.clusterId);
      if (stored === undefined) await this.#live.drop(live.clusterId);
      else await this.#live.refresh(stored.value);
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#background?.abort();
    this.#unwatch?.();
    this.#unwatchTunnels?.();
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
      upstream: live.upstream,
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

  /**
   * The import manifest for a registered cluster (`GET /v1/import/{clusterId}.yaml`). An agent
   * cluster's carries its registration secret and Paddock's URL: the configured one, else
   * `baseUrl` (where the caller reached Paddock).
   */
  async importManifest(clusterId: string, context: { baseUrl?: string } = {}): Promise<string> {
    const stored = await this.#clusters.get(clusterId);
    if (stored === undefined) throw notFound(clusterId);
    if (stored.value.transport !== 'agent') return renderImportManifest(clusterId);
    const settings = this.#agentManifest;
    const serverUrl = ((await settings?.serverUrl?.()) || context.baseUrl || '').replace(
      /\/+$/,
      '',
    );
    if (serverUrl === '') {
      throw new PaddockError(
        'VALIDATION_FAILED',
        "an agent needs Paddock's address: set the server-url setting (PADDOCK_SERVER_URL)",
        { reason: 'server_url_unknown' },
      );
    }
    return renderImportManifest(clusterId, {
      header: [
        `# ${AGENT_NAME}: dials Paddock at ${serverUrl} and carries its traffic to the API server;`,
        '#   the Secret holds its registration token (rotate it with rotateClusterAgentSecret).',
      ],
      objects: agentManifestObjects({
        clusterId,
        token: this.#agents.token(stored.value),
        serverUrl,
        image: settings?.image ?? 'paddock:latest',
        ...(settings?.serverCaPem === undefined ? {} : { serverCaPem: settings.serverCaPem }),
      }),
    });
  }

  // -- imports ---------------------------------------------------------------------------

  /** A fresh random cluster id (`c-xxxxxxx`), for callers that audit before importing. */
  newId(): string {
    return this.#randomId();
  }

  /** Import (a): endpoint, CA and both tokens. */
  async importDirect(input: DirectImportInput): Promise<ClusterSummary> {
    const id = validateId(input.id ?? this.#randomId());
    await this.#checkEndpoint(input.endpoint);
    const record = newClusterRecord(
      this.#box,
      this.#now(),
      id,
      input.name,
      input.description,
      'direct',
      {
        ...input,
        impersonatorToken: validateToken(input.impersonatorToken, 'impersonatorToken'),
        managerToken: validateToken(input.managerToken, 'managerToken'),
      },
    );
    await this.#clusters.create(id, { ...record, ...importedBy(input.createdBy) });
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
    await this.#checkEndpoint(endpoint.endpoint);
    const tokens =
      input.credentials === 'context'
        ? { impersonatorToken: context.token, managerToken: context.token }
        : await installAndReadTokens(this.#session, id, endpoint, context.token);
    const record = newClusterRecord(
      this.#box,
      this.#now(),
      id,
      input.name ?? context.contextName,
      input.description,
      'kubeconfig',
      { ...endpoint, ...tokens },
    );
    await this.#clusters.create(id, { ...record, ...importedBy(input.createdBy) });
    return this.#summary(await this.#probeStored(id));
  }

  /** Import (c), first half: registers a pending cluster whose manifest can then be fetched. */
  async createPendingImport(input: {
    id?: string;
    name: string;
    description?: string;
    createdBy?: string;
    /** `agent`: the cluster is reached through the agent the manifest installs (ADR 0017). */
    transport?: 'direct' | 'agent';
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
      health: {
        state: 'pending',
        message:
          input.transport === 'agent'
            ? 'waiting for the agent to connect'
            : 'waiting for the import manifest to be applied',
      },
      ...importedBy(input.createdBy),
      ...(input.transport === 'agent' ? this.#agents.agentFields(id) : {}),
    };
    await this.#clusters.create(id, record);
    return this.#summary(record);
  }

  /**
   * Import (c), second half: the manifest was applied; read the token Secrets with a one-time
   * operator token (never stored), or take the two tokens as given. Only a pending cluster can
   * be completed: an imported one answers CONFLICT (`cluster_not_pending`), so nobody can point
   * a live cluster somewhere else through this door (use `updateConnection`).
   */
  async completeManifestImport(
    clusterId: string,
    input: ManifestCompletionInput,
  ): Promise<ClusterSummary> {
    const stored = await this.#clusters.get(clusterId);
    if (stored === undefined) throw notFound(clusterId);
    if (!isPendingRecord(stored.value)) throw notPending(clusterId);
    if (stored.value.transport === 'agent') throw agentCluster(clusterId);
    await this.#checkEndpoint(input.endpoint);
    const fresh = newClusterRecord(
      this.#box,
      this.#now(),
      clusterId,
      stored.value.name,
      stored.value.description,
      'manifest',
      { ...input, ...(await this.#tokensOf(input)) },
    );
    // The version check makes a second, concurrent completion fail instead of winning.
    await this.#clusters.update(
      clusterId,
      {
        ...fresh,
        createdAt: stored.value.createdAt,
        ...importedBy(stored.value.createdBy),
      },
      { resourceVersion: stored.resourceVersion },
    );
    return this.#summary(await this.#probeStored(clusterId));
  }

  /**
   * Points an imported cluster at a new endpoint, CA and credentials (whoever may `update` it;
   * the caller audits). Name, description, creator and import method stay.
   */
  async updateConnection(clusterId: string, input: ConnectionChangeInput): Promise<ClusterSummary> {
    const first = await this.#clusters.get(clusterId);
    if (first === undefined) throw notFound(clusterId);
    if (isPendingRecord(first.value)) {
      throw new PaddockError(
        'CONFLICT',
        `cluster ${clusterId} is still pending; complete its import first`,
        { reason: 'cluster_pending' },
      );
    }
    if (first.value.transport === 'agent') throw agentCluster(clusterId);
    await this.#checkEndpoint(input.endpoint);
    const tokens = await this.#tokensOf(input);
    for (let attempt = 1; ; attempt++) {
      const stored = attempt === 1 ? first : await this.#clusters.get(clusterId);
      if (stored === undefined) throw notFound(clusterId);
      const fresh = newClusterRecord(
        this.#box,
        this.#now(),
        clusterId,
        stored.value.name,
        stored.value.description,
        stored.value.importMethod,
        { ...input, ...tokens },
      );
      const { awaitingActive: _kept, ...rest } = stored.value;
      try {
        await this.#clusters.update(
          clusterId,
          { ...rest, ...fresh, createdAt: stored.value.createdAt },
          { resourceVersion: stored.resourceVersion },
        );
        return this.#summary(await this.#probeStored(clusterId));
      } catch (err) {
        // A health probe wrote the record meanwhile; apply the change to its version.
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
      }
    }
  }

  /**
   * Imports created at or before `createdBefore` (epoch ms) that are still pending or never
   * became active: what the sweep removes. Operator imports from before the sweep existed are
   * never listed (they lack `awaitingActive`).
   */
  async expiredImports(createdBefore: number): Promise<StoredRecord<ClusterRecord>[]> {
    const records = await this.#clusters.list();
    return records.filter(
      (r) =>
        (isPendingRecord(r.value) || r.value.awaitingActive === true) &&
        r.value.createdAt <= createdBefore &&
        !isAnswering(this.#health.healthOf(r.value).state),
    );
  }

  /** Removes a cluster only if it is still at `resourceVersion` (nobody completed it meanwhile). */
  async removeUnchanged(clusterId: string, resourceVersion: string): Promise<boolean> {
    try {
      const removed = await this.#clusters.delete(clusterId, { resourceVersion });
      if (removed) await this.#live.drop(clusterId);
      return removed;
    } catch (err) {
      if (hasErrorCode(err, 'CONFLICT')) return false;
      throw err;
    }
  }

  // -- agent clusters (ADR 0017) ----------------------------------------------------------

  /**
   * The digest of `secret` when it is agent cluster `clusterId`'s current registration
   * secret, else undefined (compared in constant time; an unknown cluster looks the same).
   */
  verifyAgent(clusterId: string, secret: string): Promise<string | undefined> {
    return this.#agents.verify(clusterId, secret);
  }

  /**
   * A connected agent's report: completes a pending import or takes changed tokens, CA or
   * endpoint. Nothing is dialled to check them: the endpoint is inside the cluster, and the
   * next probe through the tunnel tells whether they work.
   */
  async registerAgent(
    clusterId: string,
    secretDigest: string,
    registration: AgentRegistration,
  ): Promise<void> {
    const outcome = await this.#agents.register(clusterId, secretDigest, registration);
    if (outcome.changed) {
      this.#log.info(
        { clusterId, completed: outcome.completed, agentVersion: registration.agentVersion },
        outcome.completed
          ? 'an agent completed its cluster import'
          : 'an agent reported new endpoint, CA or tokens for its cluster',
      );
    }
  }

  /** A new registration secret; agents still using the old one are disconnected everywhere. */
  async rotateAgentSecret(clusterId: string): Promise<ClusterSummary> {
    const record = await this.#agents.rotate(clusterId);
    this.#dropStaleAgents(record);
    return this.#summary(record);
  }

  /** Closes this replica's sessions of a cluster made with a secret that is no longer its own. */
  #dropStaleAgents(record: ClusterRecord): void {
    if (this.#tunnels === undefined || record.transport !== 'agent') return;
    const current = this.#agents.digestOf(record);
    this.#tunnels.retain(
      record.id,
      (session) => session.secretDigest === current,
      'the registration secret was rotated',
    );
  }

  async #tokensOf(input: ClusterEndpointInput & TokenSource) {
    const tokens =
      'bootstrapToken' in input
        ? await readTokens(
            this.#session,
            input,
            validateToken(input.bootstrapToken, 'bootstrapToken'),
          )
        : { impersonatorToken: input.impersonatorToken, managerToken: input.managerToken };
    return {
      impersonatorToken: validateToken(tokens.impersonatorToken, 'impersonatorToken'),
      managerToken: validateToken(tokens.managerToken, 'managerToken'),
    };
  }

  /** FORBIDDEN (`outbound_denied`) before anything is dialled or stored for a denied target. */
  async #checkEndpoint(endpoint: string): Promise<void> {
    if (this.#outbound === undefined) return;
    await this.#outbound.resolve(new URL(validateEndpoint(endpoint)).hostname);
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
  probeAll(): Promise<void> {
    return this.#health.probeAll();
  }

  /** Probes one cluster now and returns its new health. */
  async probe(clusterId: string): Promise<ClusterHealth> {
    const stored = await this.#clusters.get(clusterId);
    if (stored === undefined) throw notFound(clusterId);
    return this.#health.probe(stored);
  }

  async #probeStored(id: string): Promise<ClusterRecord> {
    const stored = await this.#clusters.get(id);
    if (stored === undefined) throw notFound(id);
    const health = await this.#health.probe(stored);
    return { ...stored.value, health: toStoredHealth(health) };
  }

  #summary(record: ClusterRecord): ClusterSummary {
    return summaryOf(record, this.#health.healthOf(record));
  }
}

function notPending(clusterId: string): PaddockError {
  return new PaddockError(
    'CONFLICT',
    `cluster ${clusterId} is already imported; only a pending import can be completed ` +
      '(change an imported cluster with updateClusterConnection)',
    { reason: 'cluster_not_pending' },
  );
}

function notFound(clusterId: string): PaddockError {
  return new PaddockError('NOT_FOUND', `cluster ${clusterId} not found`, {
    reason: 'cluster_not_found',
  });
}
