/**
 * An OCI catalog's charts: every repository under the catalog's path (one per chart, as
 * `helm push chart.tgz oci://host/path` makes them), or the path itself when the registry does
 * not list repositories. Each tag's manifest is asked for with the digest it had last time, so
 * an unchanged tag costs one 304 and no config download.
 */
import type { CatalogIndexRecord, IndexedChart, IndexedVersion } from './catalog-records.js';
import { compareVersionsDesc, versionOfTag } from './chart-versions.js';
import { versionOfEntry } from './http-index.js';
import { HELM_CONFIG_MEDIA_TYPE, OciRegistry, parseOciUrl } from './oci-registry.js';
import { type RepoEndpoint, type RepoHttp, repoError } from './repo-http.js';

/** Most tags read per chart, newest first. */
const MAX_TAGS_PER_CHART = 100;

export interface OciIndex {
  readonly charts: IndexedChart[];
  readonly digests: Record<string, string>;
}

export async function fetchOciIndex(
  http: RepoHttp,
  url: string,
  endpoint: RepoEndpoint,
  previous: Pick<CatalogIndexRecord, 'charts' | 'ociDigests'> | undefined,
): Promise<OciIndex> {
  const loc = parseOciUrl(url);
  const registry = new OciRegistry(http, loc.registry, endpoint);
  let repositories = await registry.repositories(loc.path);
  if (repositories === undefined || repositories.length === 0) {
    if (loc.path === '' || (await registry.tags(loc.path)).length === 0) {
      if (repositories === undefined) {
        throw repoError(`the registry does not list repositories and ${url} names no chart`);
      }
      repositories = [];
    } else repositories = [loc.path];
  }
  const host = url.slice('oci://'.length).split('/')[0];
  const known = new Map<string, IndexedVersion>();
  for (const chart of previous?.charts ?? []) {
    for (const v of chart.versions) known.set(`${chart.name}@${v.version}`, v);
  }
  const charts: IndexedChart[] = [];
  const digests: Record<string, string> = {};
  for (const repository of repositories) {
    const name = repository.slice(repository.lastIndexOf('/') + 1);
    const tags = (await registry.tags(repository))
      .filter((t) => /^v?\d+\.\d+\.\d+/.test(t))
      .sort((a, b) => compareVersionsDesc(versionOfTag(a), versionOfTag(b)))
      .slice(0, MAX_TAGS_PER_CHART);
    const versions: IndexedVersion[] = [];
    for (const tag of tags) {
      const key = `${repository}:${tag}`;
      const before = previous?.ociDigests?.[key];
      const reused = known.get(`${name}@${versionOfTag(tag)}`);
      const manifest = await registry.manifest(repository, tag, reused ? before : undefined);
      if (manifest === 'unchanged' && reused !== undefined && before !== undefined) {
        versions.push(reused);
        digests[key] = before;
        continue;
      }
      if (manifest === 'unchanged') continue;
      if (manifest.configMediaType !== HELM_CONFIG_MEDIA_TYPE) continue;
      const config = JSON.parse(
        (await registry.blob(repository, manifest.configDigest, 1024 * 1024)).toString('utf8'),
      ) as unknown;
      const entry = versionOfEntry(config);
      if (entry === undefined) continue;
      versions.push({ ...entry, digest: manifest.digest, urls: [`oci://${host}/${key}`] });
      digests[key] = manifest.digest;
    }
    if (versions.length > 0) charts.push({ name, versions });
  }
  return { charts: charts.sort((a, b) => a.name.localeCompare(b.name)), digests };
}
