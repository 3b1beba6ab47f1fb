/**
 * Reads a Helm HTTP repository's `index.yaml` with conditional requests (If-None-Match,
 * If-Modified-Since), so an unchanged repository costs one 304, and turns its entries into
 * `IndexedChart`s.
 */
import { parse as parseYaml } from 'yaml';
import type { CatalogIndexRecord, IndexedChart, IndexedVersion } from './catalog-records.js';
import { compareVersionsDesc } from './chart-versions.js';
import { type RepoEndpoint, type RepoHttp, repoError } from './repo-http.js';

const MAX_INDEX_BYTES = 64 * 1024 * 1024;

export type IndexFetch =
  | { readonly changed: false }
  | {
      readonly changed: true;
      readonly charts: IndexedChart[];
      readonly etag?: string;
      readonly lastModified?: string;
    };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** `https://host/charts` → `https://host/charts/` so relative URLs resolve inside it. */
export function repositoryBase(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function versionOfEntry(raw: unknown): IndexedVersion | undefined {
  if (!isRecord(raw)) return undefined;
  const version = str(raw.version);
  if (version === undefined) return undefined;
  const created = str(raw.created);
  const createdAt = created === undefined ? Number.NaN : Date.parse(created);
  const annotations = isRecord(raw.annotations) ? raw.annotations : {};
  const appVersion = str(raw.appVersion);
  const icon = str(raw.icon);
  const home = str(raw.home);
  const category = str(annotations.category);
  const digest = str(raw.digest);
  return {
    version,
    ...(appVersion === undefined ? {} : { appVersion }),
    description: str(raw.description) ?? '',
    ...(Number.isFinite(createdAt) ? { createdAt } : {}),
    ...(digest === undefined ? {} : { digest: digest.includes(':') ? digest : `sha256:${digest}` }),
    urls: Array.isArray(raw.urls) ? raw.urls.flatMap((u) => str(u) ?? []) : [],
    ...(icon === undefined ? {} : { icon }),
    keywords: Array.isArray(raw.keywords) ? raw.keywords.flatMap((k) => str(k) ?? []) : [],
    ...(category === undefined ? {} : { category }),
    ...(home === undefined ? {} : { home }),
    deprecated: raw.deprecated === true,
  };
}

/** The charts of a parsed `index.yaml`. */
export function chartsOfIndex(doc: unknown): IndexedChart[] {
  if (!isRecord(doc) || !isRecord(doc.entries)) {
    throw repoError('index.yaml has no entries: is this a Helm chart repository?');
  }
  const charts: IndexedChart[] = [];
  for (const [name, list] of Object.entries(doc.entries)) {
    if (!Array.isArray(list)) continue;
    const versions = list.flatMap((v) => versionOfEntry(v) ?? []);
    versions.sort((a, b) => compareVersionsDesc(a.version, b.version));
    if (versions.length > 0) charts.push({ name, versions });
  }
  return charts.sort((a, b) => a.name.localeCompare(b.name));
}

export async function fetchHttpIndex(
  http: RepoHttp,
  url: string,
  endpoint: RepoEndpoint,
  previous: Pick<CatalogIndexRecord, 'etag' | 'lastModified'> | undefined,
): Promise<IndexFetch> {
  const headers: Record<string, string> = { accept: 'application/x-yaml, text/yaml, */*' };
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
  const res = await http.fetch(new URL('index.yaml', repositoryBase(url)).toString(), endpoint, {
    headers,
    maxBytes: MAX_INDEX_BYTES,
  });
  if (res.status === 304) return { changed: false };
  if (res.status === 401 || res.status === 403) {
    throw repoError(`the repository refused the credentials (HTTP ${res.status})`);
  }
  if (res.status !== 200) throw repoError(`index.yaml answered HTTP ${res.status}`);
  let doc: unknown;
  try {
    doc = parseYaml(res.body.toString('utf8'), { maxAliasCount: 10_000 });
  } catch (err) {
    throw repoError(`index.yaml is not YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    changed: true,
    charts: chartsOfIndex(doc),
    ...(res.headers.etag === undefined ? {} : { etag: res.headers.etag }),
    ...(res.headers['last-modified'] === undefined
      ? {}
      : { lastModified: res.headers['last-modified'] }),
  };
}
