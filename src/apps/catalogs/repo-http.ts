/**
 * HTTP(S) for chart repositories and OCI registries: the repository's own CA when it has one,
 * basic auth sent only to the repository's own origin (as Helm does without
 * `--pass-credentials`), redirects followed, every body bounded and every call under a deadline.
 */
import { createHash } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';
import { PaddockError } from '../../errors/index.js';

export interface RepoCredentials {
  readonly username?: string;
  readonly password?: string;
}

export interface RepoEndpoint {
  /** The origin the credentials belong to. */
  readonly origin: string;
  readonly caPem?: string;
  readonly credentials?: RepoCredentials;
}

export interface RepoResponse {
  readonly status: number;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface RepoRequest {
  readonly method?: 'GET' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly timeoutMs?: number;
  /** Set to replace basic auth (an OCI registry's bearer token). */
  readonly authorization?: string;
}

/** A failure talking to a repository, phrased for the catalog's status. */
export function repoError(message: string, cause?: unknown): PaddockError {
  return new PaddockError('UPSTREAM_UNAVAILABLE', message, { reason: 'repository_error', cause });
}

function headerMap(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export class RepoHttp {
  readonly #agents = new Map<string, Dispatcher>();
  readonly #defaultTimeoutMs: number;
  readonly #lookup: LookupFunction | undefined;
  readonly #checkHost: ((host: string) => Promise<void>) | undefined;

  /**
   * `checkHost` refuses a host (name or IP literal) outside the allowed networks before any
   * request, redirects included; `lookup` checks the addresses again as the socket dials, so a
   * name that resolves differently later cannot slip through.
   */
  constructor(
    options: {
      timeoutMs?: number;
      lookup?: LookupFunction;
      checkHost?: (host: string) => Promise<void>;
    } = {},
  ) {
    this.#defaultTimeoutMs = options.timeoutMs ?? 30_000;
    this.#lookup = options.lookup;
    this.#checkHost = options.checkHost;
  }

  #agentFor(caPem: string | undefined): Dispatcher {
    const key = caPem === undefined ? '' : createHash('sha256').update(caPem).digest('hex');
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      agent = new Agent({
        connect: {
          ...(caPem === undefined ? {} : { ca: caPem }),
          ...(this.#lookup === undefined ? {} : { lookup: this.#lookup }),
        },
        keepAliveTimeout: 10_000,
        connections: 8,
      });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** Fetches `url`, following up to five redirects; never throws for an HTTP status. */
  async fetch(url: string, endpoint: RepoEndpoint, req: RepoRequest): Promise<RepoResponse> {
    let current = url;
    for (let hop = 0; hop <= 5; hop++) {
      const target = new URL(current);
      if (target.protocol !== 'https:' && target.protocol !== 'http:') {
        throw repoError(`${target.protocol} URLs are not supported`);
      }
      await this.#checkHost?.(target.hostname.replace(/^\[(.*)\]$/, '$1'));
      const sameOrigin = target.origin === endpoint.origin;
      const headers: Record<string, string> = { 'user-agent': 'paddock', ...req.headers };
      if (req.authorization !== undefined && sameOrigin) headers.authorization = req.authorization;
      else if (sameOrigin && endpoint.credentials?.username !== undefined) {
        const pair = `${endpoint.credentials.username}:${endpoint.credentials.password ?? ''}`;
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      }
      const timeoutMs = req.timeoutMs ?? this.#defaultTimeoutMs;
      let res: Dispatcher.ResponseData;
      try {
        res = await request(target, {
          method: req.method ?? 'GET',
          headers,
          dispatcher: this.#agentFor(sameOrigin ? endpoint.caPem : undefined),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw repoError(`cannot reach ${target.origin}: ${why}`, err);
      }
      const resHeaders = headerMap(res.headers);
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && resHeaders.location) {
        await res.body.dump();
        current = new URL(resHeaders.location, target).toString();
        continue;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > req.maxBytes) {
            res.body.destroy();
            throw repoError(`${target.pathname} is larger than ${req.maxBytes} bytes`);
          }
          chunks.push(chunk as Buffer);
        }
      } catch (err) {
        if (err instanceof PaddockError) throw err;
        throw repoError(`reading ${target.pathname} failed: ${String(err)}`, err);
      }
      return {
        status: res.statusCode,
        url: target.toString(),
        headers: resHeaders,
        body: Buffer.concat(chunks),
      };
    }
    throw repoError(`too many redirects from ${url}`);
  }

  async close(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((a) => a.close()));
  }
}
