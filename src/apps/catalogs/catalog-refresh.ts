/**
 * One refresh of one catalog: read its repository, keep the charts found, and record the
 * outcome on the catalog. A failure is written to that catalog's status (the last good charts
 * stay searchable) and never thrown, so one bad repository cannot fail another's refresh.
 */
import type { CatalogRefreshStatus } from '../../domain/catalogs.js';
import type { Logger } from '../../domain/logger.js';
import type { SecretBox } from '../../domain/secret-box.js';
import type { Collection } from '../../domain/store.js';
import { hasErrorCode } from '../../errors/index.js';
import type { CatalogIndexRecord, CatalogRecord } from './catalog-records.js';
import { endpointOf } from './chart-source.js';
import { fetchHttpIndex } from './http-index.js';
import { fetchOciIndex } from './oci-index.js';
import type { RepoHttp } from './repo-http.js';

export interface CatalogRefreshDeps {
  readonly catalogs: Collection<CatalogRecord>;
  readonly indexes: Collection<CatalogIndexRecord>;
  readonly http: RepoHttp;
  readonly secretBox: SecretBox;
  readonly logger: Logger;
  readonly now: () => number;
}

/** Refreshes `catalogId` and answers with its record as written (undefined if it is gone). */
export async function refreshCatalog(
  deps: CatalogRefreshDeps,
  catalogId: string,
): Promise<CatalogRecord | undefined> {
  const stored = await deps.catalogs.get(catalogId);
  if (stored === undefined) return undefined;
  const record = stored.value;
  const previous = (await deps.indexes.get(catalogId))?.value;
  const startedAt = deps.now();
  let status: CatalogRefreshStatus;
  try {
    const endpoint = endpointOf(record, deps.secretBox);
    let next: CatalogIndexRecord | undefined;
    if (record.kind === 'http') {
      // Validators are only valid for the URL they came from.
      const sameUrl = previous !== undefined && record.updatedAt <= previous.fetchedAt;
      const fetched = await fetchHttpIndex(
        deps.http,
        record.url,
        endpoint,
        sameUrl ? previous : undefined,
      );
      if (fetched.changed) {
        next = {
          catalogId,
          charts: fetched.charts,
          ...(fetched.etag === undefined ? {} : { etag: fetched.etag }),
          ...(fetched.lastModified === undefined ? {} : { lastModified: fetched.lastModified }),
          fetchedAt: startedAt,
        };
      } else if (previous !== undefined) {
        next = { ...previous, fetchedAt: startedAt };
      }
    } else {
      const fetched = await fetchOciIndex(deps.http, record.url, endpoint, previous);
      next = {
        catalogId,
        charts: fetched.charts,
        ociDigests: fetched.digests,
        fetchedAt: startedAt,
      };
    }
    if (next !== undefined) await writeIndex(deps.indexes, next);
    status = {
      state: 'ready',
      lastAttemptAt: startedAt,
      lastSuccessAt: startedAt,
      chartCount: next?.charts.length ?? 0,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    deps.logger.warn({ catalogId, err: message }, 'catalog refresh failed');
    status = {
      state: 'error',
      lastAttemptAt: startedAt,
      ...(record.refresh.lastSuccessAt === undefined
        ? {}
        : { lastSuccessAt: record.refresh.lastSuccessAt }),
      message,
      chartCount: previous?.charts.length ?? 0,
    };
  }
  return writeStatus(deps.catalogs, catalogId, status);
}

async function writeIndex(
  indexes: Collection<CatalogIndexRecord>,
  next: CatalogIndexRecord,
): Promise<void> {
  const current = await indexes.get(next.catalogId);
  if (current === undefined) {
    await indexes.create(next.catalogId, next).catch(async (err: unknown) => {
      if (!hasErrorCode(err, 'CONFLICT')) throw err;
      await indexes.update(next.catalogId, next);
    });
  } else {
    await indexes.update(next.catalogId, next);
  }
}

/** Writes the status on the current version of the record (an edit may have raced). */
async function writeStatus(
  catalogs: Collection<CatalogRecord>,
  id: string,
  refresh: CatalogRefreshStatus,
): Promise<CatalogRecord | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await catalogs.get(id);
    if (current === undefined) return undefined;
    try {
      const written = await catalogs.update(
        id,
        { ...current.value, refresh },
        { resourceVersion: current.resourceVersion },
      );
      return written.value;
    } catch (err) {
      if (hasErrorCode(err, 'NOT_FOUND')) return undefined;
      if (!hasErrorCode(err, 'CONFLICT')) throw err;
    }
  }
  return (await catalogs.get(id))?.value;
}
