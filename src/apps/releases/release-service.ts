/**
 * `AppsService`: Helm releases read as the caller and changed by the real Helm CLI acting as
 * the caller. Everything that can be refused is checked before an operation starts (the
 * cluster is visible, the chart exists, the values match its schema, the downstream cluster
 * lets the caller read releases and create Secrets in the namespace); the operation itself
 * runs in the background and its outcome is on the operation.
 */
import type {
  AppOperationEvent,
  AppOperationView,
  AppsService,
  InstallAppRequest,
  ReleaseDetails,
  ReleaseFilter,
  ReleaseList,
  ReleaseRef,
  UpgradeAppRequest,
} from '../../domain/apps.js';
import type { Identity } from '../../domain/identity.js';
import type { KubeApi } from '../../domain/kube-api.js';
import type { Logger } from '../../domain/logger.js';
import type { SettingsReader } from '../../domain/settings.js';
import { SETTING_DEFAULT_IMAGE_REGISTRY } from '../../domain/settings-admin.js';
import { PaddockError } from '../../errors/index.js';
import { GLOBAL_SCOPE } from '../../rbac/index.js';
import type { AppsAccess } from '../apps-access.js';
import { type StoreCatalogService, usableAt } from '../catalogs/catalog-service.js';
import type { ChartArchive } from '../charts/chart-archive.js';
import type { HelmAction, HelmActions, HelmTarget } from '../helm/helm-actions.js';
import { withDefaultRegistry } from '../values/default-registry.js';
import { diffValues } from '../values/values-diff.js';
import { coalesceValues, parseValuesInput, type Values } from '../values/values-input.js';
import { checkValuesAgainstSchema } from '../values/values-schema.js';
import { type OperationLog, type OperationStore, toOperationView } from './operation-store.js';
import { CATALOG_LABEL, decodeRelease, resourcesOf } from './release-codec.js';
import { type ReleaseReader, toReleaseView, toRevision } from './release-reader.js';
import { validateTarget } from './release-target.js';

export interface ReleaseServiceDeps {
  readonly kubeApi: KubeApi;
  readonly reader: ReleaseReader;
  readonly catalogs: StoreCatalogService;
  readonly access: AppsAccess;
  readonly actions: HelmActions;
  readonly operations: OperationStore;
  readonly settings: SettingsReader;
  readonly logger: Logger;
  /** Default and largest Helm `--timeout`. */
  readonly defaultTimeoutSeconds?: number;
  readonly maxTimeoutSeconds?: number;
}

function notFound(ref: ReleaseRef): PaddockError {
  return new PaddockError(
    'NOT_FOUND',
    `release ${ref.name} not found in ${ref.clusterId}/${ref.namespace}`,
    { reason: 'release_not_found' },
  );
}

export class HelmReleaseService implements AppsService {
  readonly #d: ReleaseServiceDeps;
  readonly #running = new Set<AbortController>();

  constructor(deps: ReleaseServiceDeps) {
    this.#d = deps;
  }

  /** Aborts running operations (Paddock is stopping); each ends as failed. */
  close(): void {
    for (const abort of this.#running) abort.abort();
  }

  list(caller: Identity, filter?: ReleaseFilter): Promise<ReleaseList> {
    return this.#d.reader.list(caller, filter);
  }

  async get(caller: Identity, ref: ReleaseRef): Promise<ReleaseDetails> {
    const target = validateTarget(ref);
    await this.#assertVisible(caller, target.clusterId);
    const client = this.#d.kubeApi.forCaller(caller);
    const secrets = await this.#d.reader.revisions(
      client,
      target.clusterId,
      target.namespace,
      target.name,
    );
    const newest = secrets[0];
    if (newest === undefined || newest.facts.status === 'uninstalled') throw notFound(target);
    const release = decodeRelease(newest.secret);
    const projectId = await this.#d.reader.projectOf(target.clusterId, target.namespace);
    const history = secrets.slice(0, 50).flatMap((s) => {
      try {
        return [toRevision(decodeRelease(s.secret), s.facts)];
      } catch {
        return [];
      }
    });
    return {
      ...toReleaseView(target.clusterId, release, newest.facts, projectId),
      notes: release.info.notes ?? '',
      history,
      resources: resourcesOf(release.manifest, target.namespace),
    };
  }

  async #assertVisible(caller: Identity, clusterId: string): Promise<void> {
    const scopedTo = caller.scope?.clusterId;
    const visible = await this.#d.reader.visibleClusterIds(caller);
    if ((scopedTo !== undefined && scopedTo !== clusterId) || !visible.includes(clusterId)) {
      throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found`, {
        reason: 'cluster_not_found',
      });
    }
  }

  /** The caller's values made ready for Helm: registry setting applied, schema checked. */
  async prepareValues(archive: ChartArchive, given: Values): Promise<Values> {
    const registry = (await this.#d.settings.get(SETTING_DEFAULT_IMAGE_REGISTRY))?.value ?? '';
    const values = withDefaultRegistry(archive.values, given, registry);
    checkValuesAgainstSchema(
      archive.schema,
      coalesceValues(archive.values, values),
      `${archive.metadata.name}-${archive.metadata.version}`,
    );
    return values;
  }

  #timeout(requested: number | undefined): number {
    const max = this.#d.maxTimeoutSeconds ?? 900;
    const t = requested ?? this.#d.defaultTimeoutSeconds ?? 300;
    if (!Number.isInteger(t) || t < 1 || t > max) {
      throw new PaddockError('VALIDATION_FAILED', `timeoutSeconds: must be 1 to ${max}`, {
        reason: 'invalid_input',
        details: { field: 'timeoutSeconds' },
      });
    }
    return t;
  }

  /** The downstream decides: reading releases there (a 403 surfaces as is) and creating Secrets. */
  async #assertMayChange(caller: Identity, target: HelmTarget) {
    const client = this.#d.kubeApi.forCaller(caller);
    const secrets = await this.#d.reader.revisions(
      client,
      target.clusterId,
      target.namespace,
      target.name,
    );
    const may = await this.#d.access.mayInstall(caller, target.clusterId, target.namespace);
    if (!may.allowed) {
      throw new PaddockError(
        'FORBIDDEN',
        `cluster ${target.clusterId} does not let you change releases in namespace ${target.namespace} (you may not create secrets there)`,
        {
          reason: 'kube_forbidden',
          details: { clusterId: target.clusterId, namespace: target.namespace },
        },
      );
    }
    return secrets;
  }

  async install(caller: Identity, req: InstallAppRequest): Promise<AppOperationView> {
    this.#d.actions.assertAvailable();
    const target = validateTarget(req);
    await this.#assertVisible(caller, target.clusterId);
    const timeoutSeconds = this.#timeout(req.timeoutSeconds);
    const chart = await this.#d.catalogs.resolve(caller, req.catalogId, req.chart, req.version);
    const projectId = await this.#d.reader.projectOf(target.clusterId, target.namespace);
    if (
      !usableAt(
        chart.catalog,
        target.clusterId,
        projectId?.slice(projectId.lastIndexOf(':') + 1) ?? '',
      )
    ) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `catalog ${chart.catalog.name} does not apply to namespace ${target.namespace} of cluster ${target.clusterId}`,
        {
          reason: 'catalog_not_usable',
          details: { field: 'catalogId' },
        },
      );
    }
    const values = await this.prepareValues(chart.archive, parseValuesInput(req.values));
    const existing = await this.#assertMayChange(caller, target);
    if (existing.length > 0 && existing[0]?.facts.status !== 'uninstalled') {
      throw new PaddockError(
        'CONFLICT',
        `release ${target.name} already exists in ${target.namespace}`,
        {
          reason: 'release_exists',
        },
      );
    }
    return this.#start(caller, 'install', target, {
      kind: 'install',
      archive: chart.archive.archive,
      values,
      labels: { [CATALOG_LABEL]: chart.catalog.id },
      wait: req.wait ?? true,
      timeoutSeconds,
    });
  }

  async upgrade(caller: Identity, req: UpgradeAppRequest): Promise<AppOperationView> {
    this.#d.actions.assertAvailable();
    const target = validateTarget(req);
    await this.#assertVisible(caller, target.clusterId);
    const timeoutSeconds = this.#timeout(req.timeoutSeconds);
    const secrets = await this.#assertMayChange(caller, target);
    const newest = secrets[0];
    if (newest === undefined || newest.facts.status === 'uninstalled') throw notFound(target);
    const current = decodeRelease(newest.secret);
    const catalogId = req.catalogId ?? newest.facts.labels[CATALOG_LABEL];
    if (catalogId === undefined) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `release ${target.name} was not installed from a catalog: name catalogId and chart`,
        {
          reason: 'invalid_input',
          details: { field: 'catalogId' },
        },
      );
    }
    const chartName = req.chart ?? current.chart.metadata.name;
    const chart = await this.#d.catalogs.resolve(
      caller,
      catalogId,
      chartName,
      req.version ?? (req.chart === undefined ? current.chart.metadata.version : undefined),
    );
    const before = current.config ?? {};
    const given = req.values === undefined ? before : parseValuesInput(req.values);
    const values = await this.prepareValues(chart.archive, given);
    return this.#start(
      caller,
      'upgrade',
      target,
      {
        kind: 'upgrade',
        archive: chart.archive.archive,
        values,
        labels: { [CATALOG_LABEL]: chart.catalog.id },
        wait: req.wait ?? true,
        timeoutSeconds,
      },
      diffValues(before, values),
    );
  }

  async rollback(caller: Identity, ref: ReleaseRef, revision: number): Promise<AppOperationView> {
    this.#d.actions.assertAvailable();
    const target = validateTarget(ref);
    await this.#assertVisible(caller, target.clusterId);
    const secrets = await this.#assertMayChange(caller, target);
    if (secrets.length === 0) throw notFound(target);
    if (!secrets.some((s) => s.facts.revision === revision)) {
      throw new PaddockError('NOT_FOUND', `release ${target.name} has no revision ${revision}`, {
        reason: 'revision_not_found',
      });
    }
    return this.#start(caller, 'rollback', target, {
      kind: 'rollback',
      revision,
      wait: true,
      timeoutSeconds: this.#timeout(undefined),
    });
  }

  async uninstall(caller: Identity, ref: ReleaseRef): Promise<AppOperationView> {
    this.#d.actions.assertAvailable();
    const target = validateTarget(ref);
    await this.#assertVisible(caller, target.clusterId);
    const secrets = await this.#assertMayChange(caller, target);
    if (secrets.length === 0) throw notFound(target);
    return this.#start(caller, 'uninstall', target, {
      kind: 'uninstall',
      wait: true,
      timeoutSeconds: this.#timeout(undefined),
    });
  }

  async #start(
    caller: Identity,
    kind: AppOperationView['kind'],
    target: HelmTarget,
    action: HelmAction,
    valuesDiff?: AppOperationView['valuesDiff'],
  ): Promise<AppOperationView> {
    const op = await this.#d.operations.start({
      kind,
      userId: caller.userId,
      clusterId: target.clusterId,
      namespace: target.namespace,
      releaseName: target.name,
      ...(valuesDiff === undefined ? {} : { valuesDiff }),
    });
    const abort = new AbortController();
    this.#running.add(abort);
    void this.#execute(caller, op, target, action, abort.signal).finally(() =>
      this.#running.delete(abort),
    );
    return op.view;
  }

  async #execute(
    caller: Identity,
    op: OperationLog,
    target: HelmTarget,
    action: HelmAction,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      op.line(
        `paddock: helm ${action.kind} ${target.name} in ${target.clusterId}/${target.namespace} as ${caller.username}`,
      );
      const outcome = await this.#d.actions.run(
        {
          userId: caller.userId,
          parentTokenId: caller.tokenId,
          ...(caller.expiresAt === undefined ? {} : { parentExpiresAt: caller.expiresAt }),
        },
        target,
        action,
        {
          onLine: (line) => op.line(line),
          signal,
          purpose: `helm ${action.kind} ${target.name} (${op.id})`,
        },
      );
      if (signal.aborted && !outcome.ok)
        await op.finish('failed', 'Paddock stopped during the operation');
      else await op.finish(outcome.ok ? 'succeeded' : 'failed', outcome.error);
    } catch (err) {
      this.#d.logger.warn({ err, operationId: op.id }, 'app operation failed to run');
      await op
        .finish('failed', err instanceof Error ? err.message : String(err))
        .catch(() => undefined);
    }
  }

  async #readableOperation(caller: Identity, id: string) {
    const record = await this.#d.operations.get(id);
    if (
      record === undefined ||
      (record.userId !== caller.userId &&
        !(await this.#d.access.allows(caller, 'get', 'appoperations', GLOBAL_SCOPE)))
    ) {
      throw new PaddockError('NOT_FOUND', `operation ${id} not found`, {
        reason: 'operation_not_found',
      });
    }
    return record;
  }

  async operation(caller: Identity, id: string): Promise<AppOperationView> {
    return toOperationView(await this.#readableOperation(caller, id));
  }

  async followOperation(
    caller: Identity,
    id: string,
    signal: AbortSignal,
  ): Promise<AsyncIterable<AppOperationEvent>> {
    await this.#readableOperation(caller, id);
    return this.#d.operations.follow(id, signal);
  }
}
