/**
 * Fetches chart archives from catalogs (an HTTP repository's archive URL, or an OCI manifest's
 * chart layer), checks them against the digest the index gave, and keeps the most recent ones
 * in memory: browsing a chart's README and installing it fetch it once.
 */
import { createHash } from 'node:crypto';
import type { SecretBox } from '../../domain/secret-box.js';
import {
  type ChartArchive,
  MAX_CHART_ARCHIVE_BYTES,
  openChartArchive,
} from '../charts/chart-archive.js';
import { type CatalogRecord, type IndexedVersion, passwordSealContext } from './catalog-records.js';
import { repositoryBase } from './http-index.js';
import { HELM_CHART_LAYER_MEDIA_TYPE, OciRegistry, parseOciUrl } from './oci-registry.js';
import { type RepoEndpoint, type RepoHttp, repoError } from './repo-http.js';

/** The endpoint (origin, CA, opened credentials) of a catalog's repository. */
export function endpointOf(record: CatalogRecord, secretBox: SecretBox): RepoEndpoint {
  const origin =
    record.kind === 'oci' ? parseOciUrl(record.url).registry : new URL(record.url).origin;
  const password =
    record.sealedPassword === undefined
      ? undefined
      : secretBox.open(record.sealedPassword, passwordSealContext(record.id));
  return {
    origin,
    ...(record.caPem === undefined ? {} : { caPem: record.caPem }),
    ...(record.username === undefined
      ? {}
      : {
          credentials: {
            username: record.username,
            ...(password === undefined ? {} : { password }),
          },
        }),
  };
}

export class ChartSource {
  readonly #http: RepoHttp;
  readonly #secretBox: SecretBox;
  readonly #cache = new Map<string, ChartArchive>();
  readonly #maxEntries: number;

  constructor(options: { http: RepoHttp; secretBox: SecretBox; maxEntries?: number }) {
    this.#http = options.http;
    this.#secretBox = options.secretBox;
    this.#maxEntries = options.maxEntries ?? 32;
  }

  async chart(
    record: CatalogRecord,
    chart: string,
    version: IndexedVersion,
  ): Promise<ChartArchive> {
    const key = `${record.id}|${record.url}|${chart}|${version.version}|${version.digest ?? ''}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      // Most recently used last, so the first key is the one to evict.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    const endpoint = endpointOf(record, this.#secretBox);
    const archive =
      record.kind === 'oci'
        ? await this.#fromOci(version, endpoint)
        : await this.#fromHttp(record, version, endpoint);
    const opened = openChartArchive(archive);
    if (opened.metadata.name !== chart || opened.metadata.version !== version.version) {
      throw repoError(
        `the archive of ${chart} ${version.version} holds ${opened.metadata.name} ${opened.metadata.version}`,
      );
    }
    this.#cache.set(key, opened);
    while (this.#cache.size > this.#maxEntries) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
    return opened;
  }

  async #fromHttp(record: CatalogRecord, version: IndexedVersion, endpoint: RepoEndpoint) {
    const first = version.urls[0];
    if (first === undefined) throw repoError(`the index names no archive for ${version.version}`);
    const url = new URL(first, repositoryBase(record.url)).toString();
    const res = await this.#http.fetch(url, endpoint, { maxBytes: MAX_CHART_ARCHIVE_BYTES });
    if (res.status !== 200) throw repoError(`the chart archive answered HTTP ${res.status}`);
    if (version.digest?.startsWith('sha256:')) {
      const actual = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
      if (actual !== version.digest) {
        throw repoError(`the chart archive does not match the digest in index.yaml`);
      }
    }
    return res.body;
  }

  async #fromOci(version: IndexedVersion, endpoint: RepoEndpoint) {
    const ref = version.urls[0];
    const m = ref === undefined ? null : /^oci:\/\/([^/]+)\/(.+):([^:/]+)$/.exec(ref);
    if (m === null) throw repoError(`no OCI reference for ${version.version}`);
    const registry = new OciRegistry(this.#http, parseOciUrl(`oci://${m[1]}`).registry, endpoint);
    const manifest = await registry.manifest(m[2]!, m[3]!);
    if (manifest === 'unchanged') throw repoError('the registry sent no manifest');
    const layer = manifest.layers.find((l) => l.mediaType === HELM_CHART_LAYER_MEDIA_TYPE);
    if (layer === undefined) throw repoError(`${ref} is not a Helm chart`);
    return registry.blob(m[2]!, layer.digest, MAX_CHART_ARCHIVE_BYTES);
  }
}
