/**
 * The parts of the OCI distribution API a Helm chart catalog needs: list repositories and tags,
 * read a chart manifest, its config (Chart.yaml as JSON) and its content layer. Authentication
 * answers the registry's challenge: Basic, or a Bearer token from the realm it names (Docker
 * Hub, GHCR, Harbor), fetched with the catalog's credentials.
 */
import { createHash } from 'node:crypto';
import { type RepoEndpoint, type RepoHttp, type RepoResponse, repoError } from './repo-http.js';

export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MANIFEST_ACCEPT =
  'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

/** `oci://host:port/path` split into the registry's base URL and the repository prefix. */
export interface OciLocation {
  readonly registry: string;
  readonly path: string;
}

/**
 * As Helm (through containerd's `MatchLocalhost`) does, a registry on a loopback address is
 * spoken to over plain HTTP; every other registry over HTTPS.
 */
export function isLoopbackRegistry(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || /^127\./.test(name) || name === '::1';
}

export function parseOciUrl(url: string): OciLocation {
  const m = /^oci:\/\/([^/]+)(?:\/(.*?))?\/?$/.exec(url);
  if (!m?.[1]) throw repoError(`${url} is not an oci:// reference`);
  const scheme = isLoopbackRegistry(m[1]) ? 'http' : 'https';
  return { registry: `${scheme}://${m[1]}`, path: m[2] ?? '' };
}

export interface OciManifest {
  readonly digest: string;
  readonly configDigest: string;
  readonly configMediaType: string;
  readonly layers: readonly { mediaType: string; digest: string; size: number }[];
}

export class OciRegistry {
  readonly #http: RepoHttp;
  readonly #endpoint: RepoEndpoint;
  readonly #base: string;
  /** Bearer tokens by scope, for the life of this client (one refresh or one pull). */
  readonly #tokens = new Map<string, string>();

  constructor(http: RepoHttp, registry: string, endpoint: RepoEndpoint) {
    this.#http = http;
    this.#base = registry;
    this.#endpoint = endpoint;
  }

  async #get(
    path: string,
    scope: string,
    options: { accept?: string; maxBytes: number; ifNoneMatch?: string },
  ): Promise<RepoResponse> {
    const url = `${this.#base}${path}`;
    const headers: Record<string, string> = {};
    if (options.accept) headers.accept = options.accept;
    if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
    const token = this.#tokens.get(scope);
    const send = (authorization?: string) =>
      this.#http.fetch(url, this.#endpoint, {
        headers,
        maxBytes: options.maxBytes,
        ...(authorization === undefined ? {} : { authorization }),
      });
    let res = await send(token === undefined ? undefined : `Bearer ${token}`);
    if (res.status === 401) {
      const challenge = res.headers['www-authenticate'] ?? '';
      if (/^bearer /i.test(challenge)) {
        const fresh = await this.#bearerToken(challenge, scope);
        this.#tokens.set(scope, fresh);
        res = await send(`Bearer ${fresh}`);
      }
    }
    if (res.status === 401 || res.status === 403) {
      throw repoError(`the registry refused the credentials (HTTP ${res.status} for ${path})`);
    }
    return res;
  }

  async #bearerToken(challenge: string, scope: string): Promise<string> {
    const params: Record<string, string> = {};
    for (const m of challenge.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
    if (!params.realm) throw repoError('the registry asked for a token without naming a realm');
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set('scope', params.scope ?? scope);
    // The realm is often another host (auth.docker.io): it gets the credentials as its own.
    const res = await this.#http.fetch(
      realm.toString(),
      { ...this.#endpoint, origin: realm.origin },
      { maxBytes: 1024 * 1024 },
    );
    if (res.status !== 200) throw repoError(`the registry's token service answered ${res.status}`);
    const body = JSON.parse(res.body.toString('utf8')) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw repoError("the registry's token service sent no token");
    return token;
  }

  /** Repositories under `prefix/`, or undefined when the registry does not list them. */
  async repositories(prefix: string): Promise<string[] | undefined> {
    const all: string[] = [];
    // Distribution answers at most 1,000 names a page and links the next one.
    let path: string | undefined = '/v2/_catalog?n=1000';
    for (let page = 0; path !== undefined && page < 50; page++) {
      const res = await this.#get(path, 'registry:catalog:*', { maxBytes: 16 * 1024 * 1024 }).catch(
        () => undefined,
      );
      if (res === undefined || res.status !== 200) return page === 0 ? undefined : filter(all);
      const body = JSON.parse(res.body.toString('utf8')) as { repositories?: string[] };
      all.push(...(body.repositories ?? []));
      path = this.#next(res.headers.link);
    }
    return filter(all);

    function filter(names: string[]): string[] {
      const lead = prefix === '' ? '' : `${prefix}/`;
      return names.filter((r) => r.startsWith(lead) && !r.slice(lead.length).includes('/'));
    }
  }

  /** The path of a `Link: <…>; rel="next"` header, if any. */
  #next(link: string | undefined): string | undefined {
    const next = /<([^>]+)>;\s*rel="next"/.exec(link ?? '')?.[1];
    if (next === undefined) return undefined;
    const url = new URL(next, this.#base);
    return url.pathname + url.search;
  }

  /** The repository's tags; empty when it does not exist. */
  async tags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; path !== undefined && page < 20; page++) {
      const res = await this.#get(path, `repository:${repository}:pull`, {
        maxBytes: 16 * 1024 * 1024,
      });
      if (res.status === 404) return [];
      if (res.status !== 200)
        throw repoError(`listing tags of ${repository} answered ${res.status}`);
      const body = JSON.parse(res.body.toString('utf8')) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      path = this.#next(res.headers.link);
    }
    return tags;
  }

  /** The manifest of `repository:reference`, or `unchanged` when its digest is `known`. */
  async manifest(
    repository: string,
    reference: string,
    known?: string,
  ): Promise<OciManifest | 'unchanged'> {
    const res = await this.#get(
      `/v2/${repository}/manifests/${reference}`,
      `repository:${repository}:pull`,
      {
        accept: MANIFEST_ACCEPT,
        maxBytes: 4 * 1024 * 1024,
        ...(known === undefined ? {} : { ifNoneMatch: `"${known}"` }),
      },
    );
    if (res.status === 304) return 'unchanged';
    if (res.status !== 200) {
      throw repoError(`the manifest of ${repository}:${reference} answered ${res.status}`);
    }
    const digest =
      res.headers['docker-content-digest'] ??
      `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    if (known !== undefined && digest === known) return 'unchanged';
    const body = JSON.parse(res.body.toString('utf8')) as {
      config?: { mediaType?: string; digest?: string };
      layers?: { mediaType?: string; digest?: string; size?: number }[];
    };
    return {
      digest,
      configDigest: body.config?.digest ?? '',
      configMediaType: body.config?.mediaType ?? '',
      layers: (body.layers ?? []).map((l) => ({
        mediaType: l.mediaType ?? '',
        digest: l.digest ?? '',
        size: l.size ?? 0,
      })),
    };
  }

  /** A blob, checked against its digest. */
  async blob(repository: string, digest: string, maxBytes: number): Promise<Buffer> {
    const res = await this.#get(
      `/v2/${repository}/blobs/${digest}`,
      `repository:${repository}:pull`,
      {
        maxBytes,
      },
    );
    if (res.status !== 200)
      throw repoError(`blob ${digest} of ${repository} answered ${res.status}`);
    const actual = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    if (digest.startsWith('sha256:') && actual !== digest) {
      throw repoError(`blob ${digest} of ${repository} does not match its digest`);
    }
    return res.body;
  }
}
