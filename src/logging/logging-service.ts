/**
 * `LoggingAdmin`: logging targets behind one authorization check per call
 * (`clusterloggings` at cluster scope, `projectloggings` at project scope, in
 * `management.paddock.io`), secrets sealed, and the "test target" that sends one record.
 */
import { randomBytes } from 'node:crypto';
import type { ScopedAccessCheck, ToolScope } from '../domain/alerting.js';
import { invalid, validateSecrets, validateSettings } from '../domain/field-specs.js';
import type { Identity } from '../domain/identity.js';
import type {
  LoggingAdmin,
  LoggingPushStatus,
  LoggingPushStatusReader,
  LoggingTarget,
  LoggingTargetInput,
  LoggingTestResult,
} from '../domain/logging.js';
import {
  ALLOW_ALL_OUTBOUND,
  type OutboundDialPolicy,
  type OutboundHttp,
} from '../domain/outbound-http.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import {
  type LoggingTargetRecord,
  loggingSecretPlace,
  loggingTargetsCollection,
} from './logging-records.js';
import { LOGGING_TARGET_KINDS, targetKind } from './targets/target-kinds.js';

export interface LoggingServiceOptions {
  readonly store: Store;
  readonly access: ScopedAccessCheck;
  readonly secretBox: SecretBox;
  readonly http: OutboundHttp;
  /** Checks socket targets (syslog, forward, Kafka) before they are dialled; default any. */
  readonly policy?: OutboundDialPolicy;
  readonly clusterExists: (clusterId: string) => Promise<boolean>;
  readonly projectExists: (clusterId: string, projectId: string) => Promise<boolean>;
  readonly pushStatus?: LoggingPushStatusReader;
  readonly testTimeoutMs?: number;
  readonly now?: () => number;
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,62}$/u;
const resourceOf = (scope: ToolScope) =>
  scope.projectId === undefined ? 'clusterloggings' : 'projectloggings';

export class LoggingService implements LoggingAdmin {
  readonly #o: LoggingServiceOptions;
  readonly #targets: Collection<LoggingTargetRecord>;
  readonly #now: () => number;

  constructor(options: LoggingServiceOptions) {
    this.#o = options;
    this.#targets = options.store.collection(loggingTargetsCollection);
    this.#now = options.now ?? Date.now;
  }

  async targets(caller: Identity, scope: ToolScope): Promise<LoggingTarget[]> {
    await this.#require(caller, 'list', scope);
    return (await this.#targets.list({ index: 'cluster', value: scope.clusterId }))
      .map((r) => r.value)
      .filter((t) => t.scope.projectId === scope.projectId)
      .map(view)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async createTarget(
    caller: Identity,
    scope: ToolScope,
    input: LoggingTargetInput,
  ): Promise<LoggingTarget> {
    await this.#require(caller, 'create', scope);
    if (!(await this.#o.clusterExists(scope.clusterId)))
      throw new PaddockError('NOT_FOUND', `cluster ${scope.clusterId} not found`, {
        reason: 'cluster_not_found',
      });
    if (
      scope.projectId !== undefined &&
      !(await this.#o.projectExists(scope.clusterId, scope.projectId))
    )
      throw new PaddockError(
        'NOT_FOUND',
        `project ${scope.clusterId}:${scope.projectId} not found`,
        {
          reason: 'project_not_found',
        },
      );
    const id = `lt-${randomBytes(5).toString('hex')}`;
    const record = this.#build(id, scope, input, undefined);
    try {
      await this.#targets.create(id, record);
    } catch (err) {
      if (hasErrorCode(err, 'CONFLICT'))
        throw invalid('name', `a target named ${JSON.stringify(input.name)} exists here`);
      throw err;
    }
    return view(record);
  }

  async updateTarget(
    caller: Identity,
    id: string,
    input: LoggingTargetInput,
  ): Promise<LoggingTarget> {
    const stored = await this.#targets.get(id);
    if (stored === undefined) throw notFound(id);
    await this.#require(caller, 'update', stored.value.scope);
    const record = this.#build(id, stored.value.scope, input, stored.value);
    await this.#targets.update(id, record, { resourceVersion: stored.resourceVersion });
    return view(record);
  }

  async deleteTarget(caller: Identity, id: string): Promise<boolean> {
    const stored = await this.#targets.get(id);
    if (stored === undefined) return false;
    await this.#require(caller, 'delete', stored.value.scope);
    return this.#targets.delete(id);
  }

  async testTarget(caller: Identity, id: string): Promise<LoggingTestResult> {
    const stored = await this.#targets.get(id);
    if (stored === undefined) throw notFound(id);
    const t = stored.value;
    await this.#require(caller, 'update', t.scope);
    const secrets: Record<string, string> = {};
    for (const [field, sealed] of Object.entries(t.sealedSecrets))
      secrets[field] = this.#o.secretBox.open(sealed, loggingSecretPlace(t.id, field));
    const at = this.#now();
    try {
      const message = await targetKind(t.kind).test(
        t.settings,
        secrets,
        {
          time: new Date(at),
          message: `Paddock test record for logging target ${t.name} of cluster ${t.scope.clusterId}`,
          cluster: t.scope.clusterId,
          source: 'paddock',
        },
        {
          http: this.#o.http,
          policy: this.#o.policy ?? ALLOW_ALL_OUTBOUND,
          timeoutMs: this.#o.testTimeoutMs ?? 10_000,
        },
      );
      return { at, ok: true, message };
    } catch (err) {
      let message = err instanceof Error ? err.message : String(err);
      for (const s of Object.values(secrets))
        if (s.length >= 4) message = message.split(s).join('***');
      return { at, ok: false, message: message.slice(0, 500) };
    }
  }

  async pushStatus(caller: Identity, clusterId: string): Promise<LoggingPushStatus | undefined> {
    await this.#require(caller, 'get', { clusterId });
    return this.#o.pushStatus?.status(clusterId);
  }

  async #require(caller: Identity, verb: string, scope: ToolScope): Promise<void> {
    const resource = resourceOf(scope);
    if (await this.#o.access.allowsIn(caller, { verb, resource }, scope)) return;
    const where =
      scope.projectId === undefined
        ? `in cluster ${scope.clusterId}`
        : `in project ${scope.clusterId}:${scope.projectId}`;
    throw new PaddockError('FORBIDDEN', `you may not ${verb} ${resource} ${where}`, {
      reason: 'missing_permission',
      details: { verb, resource },
    });
  }

  #build(
    id: string,
    scope: ToolScope,
    input: LoggingTargetInput,
    before: LoggingTargetRecord | undefined,
  ): LoggingTargetRecord {
    if (typeof input.name !== 'string' || !NAME.test(input.name))
      throw invalid('name', 'must be 1-63 letters, digits, spaces, dots, dashes or underscores');
    if (!LOGGING_TARGET_KINDS.includes(input.kind))
      throw invalid('kind', `must be one of ${LOGGING_TARGET_KINDS.join(', ')}`);
    if (before !== undefined && before.kind !== input.kind)
      throw invalid('kind', 'cannot change; create a new target instead');
    const kind = targetKind(input.kind);
    const settings = validateSettings(kind.settings, input.settings ?? {});
    for (const [key, value] of Object.entries(settings)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === 'string' && /[\r\n]/.test(v) && key !== 'caPem'))
        throw invalid(`settings.${key}`, 'may not contain a line break');
    }
    if (input.kind === 'kafka') {
      for (const b of settings.brokers as string[])
        if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b))
          throw invalid('settings.brokers', `${JSON.stringify(b)} is not host:port`);
    }
    const secrets = validateSecrets(
      kind.secrets,
      input.secrets,
      new Set(Object.keys(before?.sealedSecrets ?? {})),
    );
    for (const [field, value] of Object.entries(secrets))
      if (/[\r\n]/.test(value)) throw invalid(`secrets.${field}`, 'may not contain a line break');
    const sealedSecrets: Record<string, string> = { ...(before?.sealedSecrets ?? {}) };
    for (const [field, value] of Object.entries(secrets))
      sealedSecrets[field] = this.#o.secretBox.seal(value, loggingSecretPlace(id, field));
    const now = this.#now();
    return {
      id,
      name: input.name,
      scope,
      kind: input.kind,
      settings,
      sealedSecrets,
      enabled: input.enabled ?? before?.enabled ?? true,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    };
  }
}

function view(r: LoggingTargetRecord): LoggingTarget {
  return {
    id: r.id,
    name: r.name,
    scope: r.scope,
    kind: r.kind,
    settings: r.settings,
    secretFields: Object.keys(r.sealedSecrets).sort(),
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function notFound(id: string): PaddockError {
  return new PaddockError('NOT_FOUND', `logging target ${id} not found`, {
    reason: 'logging_target_not_found',
  });
}
