import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ImportManifestSource } from '../domain/cluster.js';
import type { Authenticator, Identity } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';

export const IMPORT_MANIFEST_PREFIX = '/v1/import';

export interface ImportManifestRouteOptions {
  readonly authenticator: Authenticator;
  readonly manifests: ImportManifestSource;
  /** Who may fetch a manifest (e.g. the `clusters-create` global role); default: anyone signed in. */
  readonly authorize?: (identity: Identity, clusterId: string) => boolean | Promise<boolean>;
}

/** The route shape of src/server's `HttpRoute`; errors are thrown for the server to render. */
export interface ImportManifestRoute {
  readonly name: 'import-manifest';
  readonly path: string;
  readonly prefix: true;
  readonly methods: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const PATH = /^\/v1\/import\/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\.yaml$/;

/**
 * `GET /v1/import/{clusterId}.yaml`: the manifest that lets Paddock into a downstream cluster.
 * It names the cluster, and an agent cluster's carries the agent's registration secret, so the
 * caller must be signed in and `authorize`d for that very cluster.
 */
export function createImportManifestRoute(
  options: ImportManifestRouteOptions,
): ImportManifestRoute {
  return {
    name: 'import-manifest',
    path: IMPORT_MANIFEST_PREFIX,
    prefix: true,
    methods: ['GET', 'HEAD'],
    async handle(req, res) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const match = PATH.exec(path);
      if (!match) throw new PaddockError('NOT_FOUND', 'no such import manifest');
      const clusterId = match[1]!;
      const identity = await options.authenticator.authenticate({
        headers: req.headers,
        remoteAddress: req.socket.remoteAddress,
      });
      if (options.authorize && !(await options.authorize(identity, clusterId))) {
        throw new PaddockError('FORBIDDEN', 'not allowed to import clusters');
      }
      const secure = 'encrypted' in req.socket && req.socket.encrypted === true;
      const baseUrl = `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
      const yaml = await options.manifests.importManifest(clusterId, { baseUrl });
      res.writeHead(200, {
        'content-type': 'application/yaml; charset=utf-8',
        'content-length': Buffer.byteLength(yaml),
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : yaml);
    },
  };
}
