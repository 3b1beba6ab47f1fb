/**
 * `CatalogService`: catalogs at global, cluster and project scope and the charts they hold.
 * Managing a catalog needs `catalogs` rights at its scope (catalogs-manage globally, a
 * cluster-owner for a cluster's, a project-owner for a project's); reading it needs membership
 * where it applies. Charts are answered from the last refresh kept in the store.
 */
import { randomBytes } from 'node:crypto';
import type {
  CatalogChange,
  CatalogFilter,
  CatalogService,
  CatalogView,
  ChartDetails,
  ChartSearch,
  ChartSummary,
  ChartVersionSummary,
  NewCatalog,
} from '../../domain/catalogs.js';
import type { ClusterDirectory } from '../../domain/cluster-directory.js';
import type { Identity } from '../../domain/identity.js';
import type { AccessStateSource } from '../../domain/rbac.js';
import type { SecretBox } from '../../domain/secret-box.js';
import type { Collection, Store } from '../../domain/store.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import type { AppsAccess } from '../apps-access.js';
import { forbiddenTo } from '../apps-access.js';
import type { ChartArchive } from '../charts/chart-archive.js';
import { registryKeysOf } from '../values/default-registry.js';
import { caBundle, catalogName, catalogUrl, invalidField, optionalText } from './catalog-input.js';
import {
  type CatalogIndexRecord,
  type CatalogRecord,
  catalogIndexesCollection,
  catalogsCollection,
  type IndexedChart,
  type IndexedVersion,
  passwordSealContext,
  toCatalogView,
} from './catalog-records.js';
import { type CatalogRefreshDeps, refreshCatalog } from './catalog-refresh.js';
import type { ChartSource } from './chart-source.js';
import { newestStable } from './chart-versions.js';

export interface CatalogServiceDeps {
  readonly store: Store;
  readonly secretBox: SecretBox;
  readonly access: AppsAccess;
  readonly accessState: AccessStateSource;
  readonly clusters: ClusterDirectory;
  readonly charts: ChartSource;
  readonly refresh: Omit<CatalogRefreshDeps, 'catalogs' | 'indexes'>;
  readonly now: () => number;
}

/** A chart version resolved in a catalog, with its archive, for installs. */
export interface ResolvedChart {
  readonly catalog: CatalogRecord;
  readonly chart: string;
  readonly version: IndexedVersion;
  readonly archive: ChartArchive;
}

function notFound(what: string): PaddockError {
  return new PaddockError('NOT_FOUND', `${what} not found`, { reason: 'not_found' });
}

export class StoreCatalogService implements CatalogService {
  readonly #d: CatalogServiceDeps;
  readonly catalogs: Collection<CatalogRecord>;
  readonly indexes: Collection<CatalogIndexRecord>;

  constructor(deps: CatalogServiceDeps) {
    this.#d = deps;
    this.catalogs = deps.store.collection(catalogsCollection);
    this.indexes = deps.store.collection(catalogIndexesCollection);
  }

  get refreshDeps(): CatalogRefreshDeps {
    return { ...this.#d.refresh, catalogs: this.catalogs, indexes: this.indexes };
  }

  async #readable(caller: Identity): Promise<CatalogRecord[]> {
    const out: CatalogRecord[] = [];
    for (const r of await this.catalogs.list()) {
      if (await this.#d.access.mayReadCatalog(caller, r.value)) out.push(r.value);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** A catalog the caller may read; NOT_FOUND for one it may not (no existence leak). */
  async readableRecord(caller: Identity, id: string): Promise<CatalogRecord> {
    const record = (await this.catalogs.get(id))?.value;
    if (record === undefined || !(await this.#d.access.mayReadCatalog(caller, record))) {
      throw notFound(`catalog ${id}`);
    }
    return record;
  }

  async list(caller: Identity, filter: CatalogFilter = {}): Promise<CatalogView[]> {
    return (await this.#readable(caller))
      .filter(
        (r) =>
          (filter.scope === undefined || r.scope === filter.scope) &&
          (filter.clusterId === undefined || r.clusterId === filter.clusterId) &&
          (filter.projectId === undefined || r.projectId === filter.projectId),
      )
      .map(toCatalogView);
  }

  async get(caller: Identity, id: string): Promise<CatalogView> {
    return toCatalogView(await this.readableRecord(caller, id));
  }

  async add(caller: Identity, input: NewCatalog): Promise<CatalogView> {
    const name = catalogName(input.name);
    const scope = await this.#scopeOf(input);
    if (!(await this.#d.access.mayManageCatalog(caller, 'create', scope))) {
      throw forbiddenTo(`create ${scope.scope} catalogs${scopeWhere(scope)}`);
    }
    const password = input.password === '' ? undefined : input.password;
    const { kind, url } = catalogUrl(input.url, password !== undefined);
    const id = `cat-${randomBytes(6).toString('hex')}`;
    const now = this.#d.now();
    const username = optionalText('username', input.username || undefined, 256);
    const record: CatalogRecord = {
      id,
      name,
      description: optionalText('description', input.description, 1024) ?? '',
      ...scope,
      kind,
      url,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined
        ? {}
        : { sealedPassword: this.#d.secretBox.seal(password, passwordSealContext(id)) }),
      ...(input.caPem ? { caPem: caBundle(input.caPem) } : {}),
      createdBy: caller.userId,
      createdAt: now,
      updatedAt: now,
      refresh: { state: 'pending', chartCount: 0 },
    };
    if (password !== undefined && username === undefined) {
      throw invalidField('username', 'is required with a password');
    }
    try {
      await this.catalogs.create(id, record);
    } catch (err) {
      if (hasErrorCode(err, 'CONFLICT')) {
        throw new PaddockError('CONFLICT', `a catalog named ${name} exists${scopeWhere(scope)}`, {
          reason: 'catalog_exists',
        });
      }
      throw err;
    }
    return toCatalogView((await refreshCatalog(this.refreshDeps, id)) ?? record);
  }

  async update(caller: Identity, id: string, change: CatalogChange): Promise<CatalogView> {
    const current = await this.readableRecord(caller, id);
    if (!(await this.#d.access.mayManageCatalog(caller, 'update', current))) {
      throw forbiddenTo(`update catalog ${current.name}`);
    }
    const username =
      change.username === undefined ? current.username : change.username || undefined;
    const sealedPassword =
      change.password === undefined
        ? current.sealedPassword
        : change.password === null || change.password === ''
          ? undefined
          : this.#d.secretBox.seal(change.password, passwordSealContext(id));
    const { kind, url } = catalogUrl(change.url ?? current.url, sealedPassword !== undefined);
    if (sealedPassword !== undefined && username === undefined) {
      throw invalidField('username', 'is required with a password');
    }
    const caPem =
      change.caPem === undefined
        ? current.caPem
        : change.caPem
          ? caBundle(change.caPem)
          : undefined;
    const { username: _u, sealedPassword: _p, caPem: _c, ...rest } = current;
    const next: CatalogRecord = {
      ...rest,
      description: optionalText('description', change.description, 1024) ?? current.description,
      kind,
      url,
      ...(username === undefined ? {} : { username: optionalText('username', username, 256)! }),
      ...(sealedPassword === undefined ? {} : { sealedPassword }),
      ...(caPem === undefined ? {} : { caPem }),
      updatedAt: Math.max(this.#d.now(), current.updatedAt + 1),
    };
    await this.catalogs.update(id, next);
    return toCatalogView((await refreshCatalog(this.refreshDeps, id)) ?? next);
  }

  async refresh(caller: Identity, id: string): Promise<CatalogView> {
    const current = await this.readableRecord(caller, id);
    if (!(await this.#d.access.mayManageCatalog(caller, 'update', current))) {
      throw forbiddenTo(`refresh catalog ${current.name}`);
    }
    const written = await refreshCatalog(this.refreshDeps, id);
    if (written === undefined) throw notFound(`catalog ${id}`);
    return toCatalogView(written);
  }

  async remove(caller: Identity, id: string): Promise<boolean> {
    const current = await this.readableRecord(caller, id);
    if (!(await this.#d.access.mayManageCatalog(caller, 'delete', current))) {
      throw forbiddenTo(`delete catalog ${current.name}`);
    }
    await this.indexes.delete(id);
    return this.catalogs.delete(id);
  }

  async searchCharts(caller: Identity, search: ChartSearch): Promise<ChartSummary[]> {
    const wanted = search.catalogIds === undefined ? undefined : new Set(search.catalogIds);
    const text = search.text?.trim().toLowerCase();
    const keyword = search.keyword?.trim().toLowerCase();
    const category = search.category?.trim().toLowerCase();
    const out: ChartSummary[] = [];
    for (const catalog of await this.#readable(caller)) {
      if (wanted !== undefined && !wanted.has(catalog.id)) continue;
      if (!usableAt(catalog, search.clusterId, search.projectId)) continue;
      const index = (await this.indexes.get(catalog.id))?.value;
      for (const chart of index?.charts ?? []) {
        const latest = newestStable(chart.versions);
        if (latest === undefined) continue;
        if (text && !`${chart.name}\n${latest.description}`.toLowerCase().includes(text)) continue;
        if (keyword && !latest.keywords.some((k) => k.toLowerCase() === keyword)) continue;
        if (category && latest.category?.toLowerCase() !== category) continue;
        out.push({
          catalogId: catalog.id,
          catalogName: catalog.name,
          name: chart.name,
          description: latest.description,
          latestVersion: latest.version,
          ...(latest.appVersion === undefined ? {} : { appVersion: latest.appVersion }),
          keywords: latest.keywords,
          ...(latest.category === undefined ? {} : { category: latest.category }),
          ...(latest.icon === undefined ? {} : { iconUrl: latest.icon }),
          ...(latest.home === undefined ? {} : { home: latest.home }),
          deprecated: latest.deprecated,
        });
      }
    }
    return out.sort(
      (a, b) => a.name.localeCompare(b.name) || a.catalogName.localeCompare(b.catalogName),
    );
  }

  async #chart(caller: Identity, catalogId: string, name: string) {
    const catalog = await this.readableRecord(caller, catalogId);
    const index = (await this.indexes.get(catalogId))?.value;
    const chart: IndexedChart | undefined = index?.charts.find((c) => c.name === name);
    if (chart === undefined) throw notFound(`chart ${name} in catalog ${catalog.name}`);
    return { catalog, chart };
  }

  async chartVersions(
    caller: Identity,
    catalogId: string,
    chart: string,
  ): Promise<ChartVersionSummary[]> {
    const found = await this.#chart(caller, catalogId, chart);
    return found.chart.versions.map((v) => ({
      version: v.version,
      ...(v.appVersion === undefined ? {} : { appVersion: v.appVersion }),
      description: v.description,
      ...(v.createdAt === undefined ? {} : { createdAt: v.createdAt }),
      ...(v.digest === undefined ? {} : { digest: v.digest }),
    }));
  }

  /** The chart version and its archive (the newest stable version when none is named). */
  async resolve(
    caller: Identity,
    catalogId: string,
    chart: string,
    version?: string,
  ): Promise<ResolvedChart> {
    const found = await this.#chart(caller, catalogId, chart);
    const v =
      version === undefined || version === ''
        ? newestStable(found.chart.versions)
        : found.chart.versions.find((x) => x.version === version);
    if (v === undefined) throw notFound(`version ${version} of chart ${chart}`);
    const archive = await this.#d.charts.chart(found.catalog, chart, v);
    return { catalog: found.catalog, chart, version: v, archive };
  }

  async chartDetails(
    caller: Identity,
    catalogId: string,
    chart: string,
    version?: string,
  ): Promise<ChartDetails> {
    const r = await this.resolve(caller, catalogId, chart, version);
    const meta = r.archive.metadata;
    return {
      catalogId,
      name: meta.name,
      version: meta.version,
      ...(meta.appVersion === undefined ? {} : { appVersion: meta.appVersion }),
      description: meta.description,
      ...(meta.icon === undefined ? {} : { iconUrl: meta.icon }),
      keywords: meta.keywords,
      ...(r.archive.readme === undefined ? {} : { readme: r.archive.readme }),
      valuesYaml: r.archive.valuesYaml,
      ...(r.archive.schema === undefined ? {} : { valuesSchema: r.archive.schema }),
      registryValueKeys: registryKeysOf(r.archive.values),
    };
  }

  async #scopeOf(
    input: NewCatalog,
  ): Promise<Pick<CatalogRecord, 'scope' | 'clusterId' | 'projectId'>> {
    if (input.scope === 'global') {
      if (input.clusterId || input.projectId) {
        throw invalidField('clusterId', 'a global catalog names no cluster or project');
      }
      return { scope: 'global' };
    }
    if (!input.clusterId)
      throw invalidField('clusterId', `is required for a ${input.scope} catalog`);
    if ((await this.#d.clusters.get(input.clusterId)) === undefined) {
      throw notFound(`cluster ${input.clusterId}`);
    }
    if (input.scope === 'cluster') {
      if (input.projectId) throw invalidField('projectId', 'a cluster catalog names no project');
      return { scope: 'cluster', clusterId: input.clusterId };
    }
    const projectId = input.projectId?.includes(':')
      ? input.projectId.slice(input.projectId.lastIndexOf(':') + 1)
      : input.projectId;
    if (!projectId) throw invalidField('projectId', 'is required for a project catalog');
    const state = await this.#d.accessState.snapshot();
    if (!state.projects.some((p) => p.clusterId === input.clusterId && p.id === projectId)) {
      throw notFound(`project ${input.clusterId}:${projectId}`);
    }
    return { scope: 'project', clusterId: input.clusterId, projectId };
  }
}

function scopeWhere(s: Pick<CatalogRecord, 'clusterId' | 'projectId'>): string {
  if (s.projectId !== undefined) return ` in project ${s.clusterId}:${s.projectId}`;
  if (s.clusterId !== undefined) return ` in cluster ${s.clusterId}`;
  return '';
}

/** Global catalogs apply everywhere; a cluster's in it; a project's in that project. */
export function usableAt(
  c: Pick<CatalogRecord, 'scope' | 'clusterId' | 'projectId'>,
  clusterId: string | undefined,
  projectId: string | undefined,
): boolean {
  if (c.scope === 'global' || clusterId === undefined) return true;
  if (c.clusterId !== clusterId) return false;
  if (c.scope === 'cluster') return true;
  return projectId === undefined || c.projectId === projectId;
}
