/**
 * Helm chart catalogs as the entry points see them: HTTP(S) repositories (`index.yaml`) and OCI
 * registries (`oci://`), at global, cluster or project scope, refreshed in the background.
 * `src/apps` implements `CatalogService`; credentials never leave it (only `hasPassword`).
 */
import type { Identity } from './identity.js';

/** Where a catalog applies: everywhere, in one cluster, or in one project. */
export type CatalogScope = 'global' | 'cluster' | 'project';

/** `http`: an HTTP(S) chart repository with `index.yaml`; `oci`: an OCI registry. */
export type CatalogKind = 'http' | 'oci';

/** `pending` before the first refresh; `error` keeps the last good charts, if any. */
export type CatalogRefreshState = 'pending' | 'ready' | 'error';

export interface CatalogRefreshStatus {
  readonly state: CatalogRefreshState;
  /** Epoch milliseconds of the last attempt and of the last one that succeeded. */
  readonly lastAttemptAt?: number;
  readonly lastSuccessAt?: number;
  /** Why the last attempt failed (safe to show: no credentials). */
  readonly message?: string;
  readonly chartCount: number;
}

export interface CatalogView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly scope: CatalogScope;
  readonly clusterId?: string;
  readonly projectId?: string;
  readonly kind: CatalogKind;
  readonly url: string;
  readonly username?: string;
  readonly hasPassword: boolean;
  /** PEM of the CA that signs the repository's certificate (public). */
  readonly caPem?: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly refresh: CatalogRefreshStatus;
}

export interface NewCatalog {
  readonly name: string;
  readonly description?: string;
  readonly scope: CatalogScope;
  readonly clusterId?: string;
  readonly projectId?: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly caPem?: string;
}

/** Absent fields stay; `null` clears an optional one. */
export interface CatalogChange {
  readonly description?: string;
  readonly url?: string;
  readonly username?: string | null;
  readonly password?: string | null;
  readonly caPem?: string | null;
}

export interface CatalogFilter {
  readonly scope?: CatalogScope;
  readonly clusterId?: string;
  readonly projectId?: string;
}

/** One chart of one catalog, at its newest version. */
export interface ChartSummary {
  readonly catalogId: string;
  readonly catalogName: string;
  readonly name: string;
  readonly description: string;
  readonly latestVersion: string;
  readonly appVersion?: string;
  readonly keywords: readonly string[];
  /** The `category` annotation of Chart.yaml, as Rancher's catalog UI groups by. */
  readonly category?: string;
  readonly iconUrl?: string;
  readonly home?: string;
  readonly deprecated: boolean;
}

export interface ChartVersionSummary {
  readonly version: string;
  readonly appVersion?: string;
  readonly description: string;
  /** Epoch milliseconds from the index, when it says. */
  readonly createdAt?: number;
  readonly digest?: string;
}

/** What a chart archive holds that a user looks at before installing. */
export interface ChartDetails {
  readonly catalogId: string;
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly description: string;
  readonly iconUrl?: string;
  readonly keywords: readonly string[];
  readonly readme?: string;
  /** The chart's `values.yaml` as written. */
  readonly valuesYaml: string;
  /** The parsed `values.schema.json`, when the chart has one. */
  readonly valuesSchema?: unknown;
  /** `global.systemDefaultRegistry` / `global.imageRegistry`, when the chart declares them. */
  readonly registryValueKeys: readonly string[];
}

export interface ChartSearch {
  /** Matches name and description, case-insensitively. */
  readonly text?: string;
  readonly keyword?: string;
  readonly category?: string;
  readonly catalogIds?: readonly string[];
  /** Only catalogs usable there: global, that cluster's, and that project's. */
  readonly clusterId?: string;
  readonly projectId?: string;
}

export interface CatalogService {
  list(caller: Identity, filter?: CatalogFilter): Promise<CatalogView[]>;
  get(caller: Identity, id: string): Promise<CatalogView>;
  add(caller: Identity, input: NewCatalog): Promise<CatalogView>;
  update(caller: Identity, id: string, change: CatalogChange): Promise<CatalogView>;
  /** Refreshes now and answers with the outcome (an error is on the catalog, not thrown). */
  refresh(caller: Identity, id: string): Promise<CatalogView>;
  remove(caller: Identity, id: string): Promise<boolean>;
  searchCharts(caller: Identity, search: ChartSearch): Promise<ChartSummary[]>;
  chartVersions(caller: Identity, catalogId: string, chart: string): Promise<ChartVersionSummary[]>;
  /** The newest version when `version` is absent. */
  chartDetails(
    caller: Identity,
    catalogId: string,
    chart: string,
    version?: string,
  ): Promise<ChartDetails>;
}
