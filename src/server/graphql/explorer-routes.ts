/** Serves the GraphiQL page and its static assets (see explorer-assets.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PaddockError } from '../../errors/index.js';
import type { HttpRoute } from '../http-route.js';
import {
  EXPLORER_CSP,
  EXPLORER_CSS,
  type ExplorerAsset,
  explorerPage,
  loadExplorerAssets,
} from './explorer-assets.js';

export interface Explorer {
  /** True for a browser's plain page load of the endpoint (HTML wanted, no query). */
  wants(req: IncomingMessage): boolean;
  sendPage(res: ServerResponse): void;
  readonly assetRoute: HttpRoute;
}

export async function createExplorer(endpointPath: string): Promise<Explorer> {
  const assetBase = `${endpointPath}/explorer`;
  const assets = await loadExplorerAssets(endpointPath);
  assets.set('explorer.css', {
    body: Buffer.from(EXPLORER_CSS, 'utf8'),
    contentType: 'text/css; charset=utf-8',
    etag: '"explorer-css-1"',
  });
  const page = Buffer.from(explorerPage(assetBase), 'utf8');
  return {
    wants(req) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const accept = req.headers.accept ?? '';
      if (!accept.includes('text/html')) return false;
      return !new URLSearchParams(searchOf(req.url)).has('query');
    },
    sendPage(res) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': page.length,
        'content-security-policy': EXPLORER_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
      res.end(page);
    },
    assetRoute: {
      name: 'graphql-explorer',
      path: assetBase,
      prefix: true,
      methods: ['GET', 'HEAD'],
      handle(req, res) {
        const name = pathOf(req.url).slice(assetBase.length + 1);
        const found = assets.get(name);
        if (found === undefined) throw new PaddockError('NOT_FOUND', 'no such explorer asset');
        sendAsset(req, res, found);
      },
    },
  };
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: ExplorerAsset): void {
  const headers = {
    'content-type': asset.contentType,
    etag: asset.etag,
    'cache-control': 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': asset.body.length });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}

function searchOf(url: string | undefined): string {
  const q = (url ?? '').indexOf('?');
  return q === -1 ? '' : (url ?? '').slice(q + 1);
}

function pathOf(url: string | undefined): string {
  const q = (url ?? '').indexOf('?');
  return q === -1 ? (url ?? '') : (url ?? '').slice(0, q);
}
