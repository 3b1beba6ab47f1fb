/**
 * `GET /metrics`: Prometheus metrics for those allowed to read them. A caller needs the
 * `view-metrics` global right (admin has it) and sees per-cluster series only of the clusters
 * it may see; a scraper presents the configured scrape token (`Authorization: Bearer …`)
 * instead and sees everything. Anonymous callers get 401: metrics name every cluster.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Authenticator, Identity } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';
import type { HttpMetrics } from './http-metrics.js';
import type { HttpRoute } from './http-route.js';
import { filterClusterSeries } from './metrics-filter.js';

export interface MetricsAccess {
  readonly authenticator: Authenticator;
  /** Whether the caller may `get /metrics` (the `view-metrics` global role). */
  mayView(identity: Identity): Promise<boolean>;
  visibleClusterIds(identity: Identity): Promise<'all' | ReadonlySet<string>>;
  /** A bearer token that reads every series without a user (for Prometheus). */
  readonly scrapeToken?: string;
}

export function metricsRoute(metrics: HttpMetrics, access: MetricsAccess): HttpRoute {
  const scrapeDigest = access.scrapeToken === undefined ? undefined : digest(access.scrapeToken);
  return {
    name: 'metrics',
    path: '/metrics',
    methods: ['GET'],
    handle: async (req, res) => {
      const visible = await visibleTo(req);
      const text = await metrics.registry.metrics();
      res.writeHead(200, {
        'content-type': metrics.registry.contentType,
        'cache-control': 'no-store',
      });
      res.end(visible === 'all' ? text : filterClusterSeries(text, visible));
    },
  };

  async function visibleTo(req: IncomingMessage): Promise<'all' | ReadonlySet<string>> {
    const bearer = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    if (scrapeDigest !== undefined && bearer !== undefined) {
      // Compared as digests: equal length, constant time, whatever was sent.
      if (timingSafeEqual(digest(bearer), scrapeDigest)) return 'all';
    }
    const identity = await access.authenticator.authenticate({
      headers: req.headers,
      ...(req.socket.remoteAddress === undefined
        ? {}
        : { remoteAddress: req.socket.remoteAddress }),
    });
    if (!(await access.mayView(identity))) {
      throw new PaddockError(
        'FORBIDDEN',
        'reading /metrics needs the view-metrics global role (or the metrics scrape token)',
        { reason: 'missing_permission', details: { verb: 'get', nonResourceURL: '/metrics' } },
      );
    }
    return access.visibleClusterIds(identity);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
