import type { IncomingMessage } from 'node:http';
import type { ApiKeyManager } from '../../domain/api-key-manager.js';
import type { ClusterDirectory } from '../../domain/cluster-directory.js';
import type { Authenticator, Identity } from '../../domain/index.js';
import { PaddockError } from '../../errors/index.js';
import { baseUrlOf } from '../base-url.js';
import type { HttpRoute } from '../http-route.js';
import { renderKubeconfig } from './render-kubeconfig.js';

export interface KubeconfigRouteOptions {
  readonly authenticator: Authenticator;
  readonly clusters: ClusterDirectory;
  readonly apiKeys: ApiKeyManager;
  /** Which of the listed clusters the caller may see. */
  readonly visibleClusterIds: (identity: Identity) => Promise<ReadonlySet<string> | 'all'>;
  readonly caPem: string | undefined;
  readonly serverUrl?: string;
  /** Lifetime of the kubeconfig token; default 30 days. */
  readonly tokenTtlSeconds?: number;
  readonly now?: () => number;
}

const clusterIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * `GET /v1/kubeconfig[?clusters=a,b]`: a kubeconfig for the caller with one context per
 * cluster it may see and a new kubeconfig token (scoped to the cluster when only one is asked).
 */
export function kubeconfigRoute(options: KubeconfigRouteOptions): HttpRoute {
  const now = options.now ?? Date.now;
  const ttlSeconds = options.tokenTtlSeconds ?? 30 * 24 * 3600;
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
      const wanted = requestedClusters(req);
      const visible = await options.visibleClusterIds(identity);
      const all = await options.clusters.list();
      const clusters = all
        .filter((c) => visible === 'all' || visible.has(c.id))
        .filter((c) => identity.scope === undefined || c.id === identity.scope.clusterId)
        .filter((c) => wanted === undefined || wanted.has(c.id));
      if (wanted !== undefined) {
        const missing = [...wanted].filter((id) => !clusters.some((c) => c.id === id));
        if (missing.length > 0) {
          throw new PaddockError(
            'NOT_FOUND',
            `no cluster you may see has the id ${missing.join(', ')}`,
          );
        }
      }
      const scope =
        clusters.length === 1 && wanted !== undefined ? clusters[0]?.id : identity.scope?.clusterId;
      const created = await options.apiKeys.create({
        userId: identity.userId,
        kind: 'kubeconfig',
        description: `kubeconfig for ${clusters.map((c) => c.id).join(', ') || 'no clusters'}`,
        expiresAt: now() + ttlSeconds * 1000,
        ...(scope === undefined ? {} : { clusterId: scope }),
      });
      const text = renderKubeconfig({
        serverUrl: baseUrlOf(req, options.serverUrl),
        caPem: options.caPem,
        clusters: clusters.map((c) => ({ id: c.id, name: c.name })),
        username: identity.username,
        token: created.token,
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

function requestedClusters(req: IncomingMessage): Set<string> | undefined {
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
  return new Set(ids);
}
