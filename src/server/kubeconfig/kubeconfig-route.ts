import type { IncomingMessage } from 'node:http';
import type { KubeconfigIssuer } from '../../domain/account.js';
import type { Authenticator } from '../../domain/index.js';
import { PaddockError } from '../../errors/index.js';
import { baseUrlOf } from '../base-url.js';
import type { HttpRoute } from '../http-route.js';

export interface KubeconfigRouteOptions {
  readonly authenticator: Authenticator;
  readonly issuer: KubeconfigIssuer;
}

const clusterIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * `GET /v1/kubeconfig[?clusters=a,b]`: a kubeconfig for the caller with one context per
 * cluster it may see and a new kubeconfig token (scoped to the cluster when only one is asked).
 */
export function kubeconfigRoute(options: KubeconfigRouteOptions): HttpRoute {
  return {
    name: 'kubeconfig',
    path: '/v1/kubeconfig',
    methods: ['GET'],
    handle: async (req, res) => {
      const identity = await options.authenticator.authenticate({
        headers: req.headers,
        ...(req.socket.remoteAddress === undefined
          ? {}
          : { remoteAddress: req.socket.remoteAddress }),
      });
      const clusterIds = requestedClusters(req);
      const text = await options.issuer.issue({
        identity,
        ...(clusterIds === undefined ? {} : { clusterIds }),
        fallbackServerUrl: baseUrlOf(req),
      });
      res.writeHead(200, {
        'content-type': 'application/yaml; charset=utf-8',
        'content-disposition': 'attachment; filename="paddock.kubeconfig"',
        'cache-control': 'no-store',
      });
      res.end(text);
    },
  };
}

function requestedClusters(req: IncomingMessage): string[] | undefined {
  const raw = new URL(req.url ?? '/', 'http://paddock.invalid').searchParams.get('clusters');
  if (raw === null || raw === '') return undefined;
  const ids = raw.split(',').map((s) => s.trim());
  const bad = ids.find((id) => !clusterIdPattern.test(id));
  if (bad !== undefined) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `clusters: '${bad.slice(0, 64)}' is not a cluster id`,
    );
  }
  return ids;
}
