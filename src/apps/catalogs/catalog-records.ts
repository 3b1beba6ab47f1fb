/**
 * What the store keeps of catalogs: the catalog itself (its password sealed under the
 * `SecretBox`, bound to the catalog's id) and, separately, the charts its last good refresh
 * found, so every replica answers searches from the store without asking the repository.
 */
import type {
  CatalogKind,
  CatalogRefreshStatus,
  CatalogScope,
  CatalogView,
} from '../../domain/catalogs.js';
import type { CollectionSpec } from '../../domain/store.js';

export interface CatalogRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly scope: CatalogScope;
  readonly clusterId?: string;
  readonly projectId?: string;
  readonly kind: CatalogKind;
  readonly url: string;
  readonly username?: string;
  readonly sealedPassword?: string;
  readonly caPem?: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly refresh: CatalogRefreshStatus;
}

/** One version of one chart as an index (or an OCI manifest's config) describes it. */
export interface IndexedVersion {
  readonly version: string;
  readonly appVersion?: string;
  readonly description: string;
  readonly createdAt?: number;
  /** `sha256:<hex>` of the archive (HTTP) or of the manifest (OCI). */
  readonly digest?: string;
  /** Archive URLs, absolute or relative to the repository (HTTP), or `oci://…:<tag>`. */
  readonly urls: readonly string[];
  readonly icon?: string;
  readonly keywords: readonly string[];
  readonly category?: string;
  readonly home?: string;
  readonly deprecated: boolean;
}

export interface IndexedChart {
  readonly name: string;
  /** Newest first. */
  readonly versions: readonly IndexedVersion[];
}

export interface CatalogIndexRecord {
  readonly catalogId: string;
  readonly charts: readonly IndexedChart[];
  /** Validators of the last `index.yaml` answer, sent back as If-None-Match/If-Modified-Since. */
  readonly etag?: string;
  readonly lastModified?: string;
  /** OCI: the manifest digest each `<repository>:<tag>` had, to skip unchanged tags. */
  readonly ociDigests?: Readonly<Record<string, string>>;
  readonly fetchedAt: number;
}

/** `<scope>:<cluster>:<project>:<name>`: a name is unique within its scope. */
export function scopedNameKey(
  r: Pick<CatalogRecord, 'scope' | 'clusterId' | 'projectId' | 'name'>,
): string {
  return `${r.scope}:${r.clusterId ?? ''}:${r.projectId ?? ''}:${r.name}`;
}

export const catalogsCollection: CollectionSpec<CatalogRecord> = {
  name: 'catalogs',
  indexes: { byScopedName: { key: scopedNameKey, unique: true } },
};

export const catalogIndexesCollection: CollectionSpec<CatalogIndexRecord> = {
  name: 'catalog-indexes',
};

/** Associated data binding a sealed password to its catalog. */
export function passwordSealContext(catalogId: string): string {
  return `catalog:${catalogId}/password`;
}

export function toCatalogView(r: CatalogRecord): CatalogView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    scope: r.scope,
    ...(r.clusterId === undefined ? {} : { clusterId: r.clusterId }),
    ...(r.projectId === undefined ? {} : { projectId: r.projectId }),
    kind: r.kind,
    url: r.url,
    ...(r.username === undefined ? {} : { username: r.username }),
    hasPassword: r.sealedPassword !== undefined,
    ...(r.caPem === undefined ? {} : { caPem: r.caPem }),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    refresh: r.refresh,
  };
}
