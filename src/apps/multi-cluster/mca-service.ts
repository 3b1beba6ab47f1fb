/**
 * `MultiClusterAppService`. Creating an app needs install rights in every target, checked as
 * the caller by each target cluster (and each namespace must belong to the target's project);
 * the creator becomes the owner the controller acts as. Changing an app (upgrade, rollback,
 * targets, delete) needs to be its owner or to hold `multiclusterapps` rights globally, and the
 * same install rights in every target the change touches. Reading needs ownership, global
 * rights or membership in one of its target projects.
 */
import { randomBytes } from 'node:crypto';
import type { Identity } from '../../domain/identity.js';
import type {
  MultiClusterAppChange,
  MultiClusterAppService,
  MultiClusterAppView,
  NewMultiClusterApp,
  RolloutStrategy,
  TargetInput,
  TargetRef,
} from '../../domain/multi-cluster-apps.js';
import type { Collection, Store } from '../../domain/store.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import { GLOBAL_SCOPE } from '../../rbac/index.js';
import type { AppsAccess } from '../apps-access.js';
import { forbiddenTo } from '../apps-access.js';
import { type StoreCatalogService, usableAt } from '../catalogs/catalog-service.js';
import type { ReleaseReader } from '../releases/release-reader.js';
import type { HelmReleaseService } from '../releases/release-service.js';
import { validateTarget } from '../releases/release-target.js';
import { mergeValues, parseValuesInput, type Values } from '../values/values-input.js';
import {
  MAX_REVISIONS,
  type McaRecord,
  type McaStatusRecord,
  mcaCollection,
  mcaStatusCollection,
  type TargetSpec,
  targetKey,
  toMcaView,
} from './mca-records.js';

export interface McaServiceDeps {
  readonly store: Store;
  readonly access: AppsAccess;
  readonly catalogs: StoreCatalogService;
  readonly releases: HelmReleaseService;
  readonly reader: ReleaseReader;
  readonly now: () => number;
}

const DEFAULT_ROLLOUT: RolloutStrategy = { batchSize: 1, pauseSeconds: 0, stopOnFailure: true };

function invalid(field: string, message: string): PaddockError {
  return new PaddockError('VALIDATION_FAILED', `${field}: ${message}`, {
    reason: 'invalid_input',
    details: { field },
  });
}

function rolloutOf(
  given: Partial<RolloutStrategy> | undefined,
  base: RolloutStrategy,
): RolloutStrategy {
  const r = {
    ...base,
    ...Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined)),
  };
  if (!Number.isInteger(r.batchSize) || r.batchSize < 1 || r.batchSize > 100) {
    throw invalid('rollout.batchSize', 'must be 1 to 100');
  }
  if (!Number.isInteger(r.pauseSeconds) || r.pauseSeconds < 0 || r.pauseSeconds > 3600) {
    throw invalid('rollout.pauseSeconds', 'must be 0 to 3600');
  }
  return r;
}

export class StoreMultiClusterAppService implements MultiClusterAppService {
  readonly #d: McaServiceDeps;
  readonly apps: Collection<McaRecord>;
  readonly statuses: Collection<McaStatusRecord>;

  constructor(deps: McaServiceDeps) {
    this.#d = deps;
    this.apps = deps.store.collection(mcaCollection);
    this.statuses = deps.store.collection(mcaStatusCollection);
  }

  async #view(r: McaRecord): Promise<MultiClusterAppView> {
    return toMcaView(r, (await this.statuses.get(r.id))?.value);
  }

  async #mayRead(caller: Identity, r: McaRecord): Promise<boolean> {
    if (r.ownerId === caller.userId) return true;
    if (await this.#d.access.allows(caller, 'get', 'multiclusterapps', GLOBAL_SCOPE)) return true;
    for (const t of r.targets) {
      const projectId = t.projectId.slice(t.projectId.lastIndexOf(':') + 1);
      if (await this.#d.access.isMember(caller, t.clusterId, projectId)) return true;
    }
    return false;
  }

  async #readable(caller: Identity, id: string): Promise<McaRecord> {
    const r = (await this.apps.get(id))?.value;
    if (r === undefined || !(await this.#mayRead(caller, r))) {
      throw new PaddockError('NOT_FOUND', `multi-cluster app ${id} not found`, {
        reason: 'not_found',
      });
    }
    return r;
  }

  async list(caller: Identity): Promise<MultiClusterAppView[]> {
    const out: MultiClusterAppView[] = [];
    for (const r of await this.apps.list()) {
      if (await this.#mayRead(caller, r.value)) out.push(await this.#view(r.value));
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(caller: Identity, id: string): Promise<MultiClusterAppView> {
    return this.#view(await this.#readable(caller, id));
  }

  /** Targets validated and checked: visible, in the named project, installable by the caller. */
  async #checkTargets(
    caller: Identity,
    name: string,
    targets: readonly TargetInput[],
    catalog: Parameters<typeof usableAt>[0],
  ): Promise<TargetSpec[]> {
    const visible = await this.#d.reader.visibleClusterIds(caller);
    const seen = new Set<string>();
    const out: TargetSpec[] = [];
    for (const t of targets) {
      const target = validateTarget({ ...t, name });
      const key = targetKey(target);
      if (seen.has(key)) throw invalid('targets', `${key} is named twice`);
      seen.add(key);
      if (!visible.includes(target.clusterId)) {
        throw new PaddockError('NOT_FOUND', `cluster ${target.clusterId} not found`, {
          reason: 'cluster_not_found',
        });
      }
      const projectId = await this.#d.reader.projectOf(target.clusterId, target.namespace);
      const wanted = t.projectId.includes(':') ? t.projectId : `${target.clusterId}:${t.projectId}`;
      if (projectId !== wanted) {
        throw invalid(
          'targets',
          `namespace ${target.namespace} of cluster ${target.clusterId} is not in project ${wanted}`,
        );
      }
      if (!usableAt(catalog, target.clusterId, projectId.slice(projectId.lastIndexOf(':') + 1))) {
        throw invalid('catalogId', `the catalog does not apply to ${key}`);
      }
      const may = await this.#d.access.mayInstall(caller, target.clusterId, target.namespace);
      if (!may.allowed) {
        throw forbiddenTo(
          `install apps in namespace ${target.namespace} of cluster ${target.clusterId}`,
        );
      }
      out.push({
        clusterId: target.clusterId,
        namespace: target.namespace,
        projectId,
        values: parseValuesInput(t.values),
      });
    }
    return out;
  }

  /** Checks the app's values for every target against the chart (schema, registry). */
  async #checkValues(
    caller: Identity,
    spec: Pick<McaRecord, 'catalogId' | 'chart' | 'version' | 'values' | 'targets'>,
  ) {
    const chart = await this.#d.catalogs.resolve(caller, spec.catalogId, spec.chart, spec.version);
    for (const t of spec.targets) {
      await this.#d.releases.prepareValues(chart.archive, mergeValues(spec.values, t.values));
    }
    return chart;
  }

  async create(caller: Identity, input: NewMultiClusterApp): Promise<MultiClusterAppView> {
    const name = validateTarget({ clusterId: 'x', namespace: 'x', name: input.name }).name;
    if (input.targets.length === 0) throw invalid('targets', 'name at least one target');
    if (input.targets.length > 200) throw invalid('targets', 'at most 200');
    const catalog = await this.#d.catalogs.readableRecord(caller, input.catalogId);
    const targets = await this.#checkTargets(caller, name, input.targets, catalog);
    const values = parseValuesInput(input.values);
    const chart = await this.#checkValues(caller, {
      catalogId: catalog.id,
      chart: input.chart,
      version: input.version ?? '',
      values,
      targets,
    });
    const now = this.#d.now();
    const record: McaRecord = {
      id: `mca-${randomBytes(6).toString('hex')}`,
      name,
      catalogId: catalog.id,
      chart: input.chart,
      version: chart.version.version,
      values,
      targets,
      removing: [],
      rollout: rolloutOf(input.rollout, DEFAULT_ROLLOUT),
      ownerId: caller.userId,
      deleting: false,
      specRevision: 1,
      revisions: [
        {
          revision: 1,
          version: chart.version.version,
          values,
          createdAt: now,
          createdBy: caller.userId,
        },
      ],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.apps.create(record.id, record);
    } catch (err) {
      if (hasErrorCode(err, 'CONFLICT')) {
        throw new PaddockError('CONFLICT', `a multi-cluster app named ${name} exists`, {
          reason: 'app_exists',
        });
      }
      throw err;
    }
    return this.#view(record);
  }

  /** The app, if the caller may change it and install in every target the change touches. */
  async #changeable(
    caller: Identity,
    id: string,
    touched?: readonly TargetRef[],
  ): Promise<McaRecord> {
    const r = await this.#readable(caller, id);
    if (
      r.ownerId !== caller.userId &&
      !(await this.#d.access.allows(caller, 'update', 'multiclusterapps', GLOBAL_SCOPE))
    ) {
      throw forbiddenTo(
        `change multi-cluster app ${r.name} (only its owner or an administrator may)`,
      );
    }
    for (const t of touched ?? r.targets) {
      const may = await this.#d.access.mayInstall(caller, t.clusterId, t.namespace);
      if (!may.allowed) {
        throw forbiddenTo(`install apps in namespace ${t.namespace} of cluster ${t.clusterId}`);
      }
    }
    return r;
  }

  async #write(
    current: McaRecord,
    next: Omit<McaRecord, 'updatedAt'>,
  ): Promise<MultiClusterAppView> {
    const stored = await this.apps.get(current.id);
    if (stored === undefined || stored.value.updatedAt !== current.updatedAt) {
      throw new PaddockError(
        'CONFLICT',
        `multi-cluster app ${current.name} changed meanwhile; try again`,
        {
          reason: 'conflict',
        },
      );
    }
    const written = await this.apps.update(
      current.id,
      { ...next, updatedAt: Math.max(this.#d.now(), current.updatedAt + 1) },
      { resourceVersion: stored.resourceVersion },
    );
    return this.#view(written.value);
  }

  #withRevision(r: McaRecord, caller: Identity, version: string, values: Values) {
    const revision = r.specRevision + 1;
    return {
      specRevision: revision,
      revisions: [
        ...r.revisions,
        { revision, version, values, createdAt: this.#d.now(), createdBy: caller.userId },
      ].slice(-MAX_REVISIONS),
    };
  }

  async update(
    caller: Identity,
    id: string,
    change: MultiClusterAppChange,
  ): Promise<MultiClusterAppView> {
    const r = await this.#changeable(caller, id);
    if (r.deleting) throw invalid('id', 'the app is being deleted');
    const values = change.values === undefined ? r.values : parseValuesInput(change.values);
    const rollout = rolloutOf(change.rollout, r.rollout);
    if (change.version === undefined && change.values === undefined) {
      return this.#write(r, { ...r, rollout });
    }
    const chart = await this.#checkValues(caller, {
      ...r,
      version: change.version ?? r.version,
      values,
    });
    return this.#write(r, {
      ...r,
      values,
      version: chart.version.version,
      rollout,
      ...this.#withRevision(r, caller, chart.version.version, values),
    });
  }

  async rollback(caller: Identity, id: string, revision: number): Promise<MultiClusterAppView> {
    const r = await this.#changeable(caller, id);
    const past = r.revisions.find((x) => x.revision === revision);
    if (past === undefined) {
      throw new PaddockError(
        'NOT_FOUND',
        `multi-cluster app ${r.name} has no revision ${revision}`,
        {
          reason: 'revision_not_found',
        },
      );
    }
    await this.#checkValues(caller, { ...r, version: past.version, values: past.values as Values });
    return this.#write(r, {
      ...r,
      version: past.version,
      values: past.values as Values,
      ...this.#withRevision(r, caller, past.version, past.values as Values),
    });
  }

  async addTargets(
    caller: Identity,
    id: string,
    targets: readonly TargetInput[],
  ): Promise<MultiClusterAppView> {
    const r = await this.#changeable(caller, id, []);
    const catalog = await this.#d.catalogs.readableRecord(caller, r.catalogId);
    const added = await this.#checkTargets(caller, r.name, targets, catalog);
    const existing = new Set(r.targets.map(targetKey));
    const clash = added.find((t) => existing.has(targetKey(t)));
    if (clash !== undefined) throw invalid('targets', `${targetKey(clash)} is already a target`);
    const all = [...r.targets, ...added];
    await this.#checkValues(caller, { ...r, targets: added });
    const addedKeys = new Set(added.map(targetKey));
    return this.#write(r, {
      ...r,
      targets: all,
      removing: r.removing.filter((t) => !addedKeys.has(targetKey(t))),
    });
  }

  async removeTargets(
    caller: Identity,
    id: string,
    targets: readonly TargetRef[],
  ): Promise<MultiClusterAppView> {
    const r = await this.#changeable(caller, id, targets);
    const keys = new Set(targets.map(targetKey));
    const removed = r.targets.filter((t) => keys.has(targetKey(t)));
    if (removed.length !== keys.size)
      throw invalid('targets', 'names a target the app does not have');
    return this.#write(r, {
      ...r,
      targets: r.targets.filter((t) => !keys.has(targetKey(t))),
      removing: [
        ...r.removing,
        ...removed.map((t) => ({ clusterId: t.clusterId, namespace: t.namespace })),
      ],
    });
  }

  async remove(caller: Identity, id: string): Promise<MultiClusterAppView> {
    const r = await this.#changeable(caller, id);
    return this.#write(r, { ...r, deleting: true });
  }
}
