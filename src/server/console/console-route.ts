/**
 * Serves the web console at `/`: its hashed assets cached for good, `index.html` revalidated
 * on every load, and the same page for any other browser navigation (client-side routes such
 * as `/clusters/c-1`). Every answer carries a strict CSP without inline scripts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PaddockError } from '../../errors/index.js';
import type { HttpRoute } from '../http-route.js';
import { type ConsoleAsset, loadConsoleAssets } from './console-assets.js';

export interface ConsoleRouteOptions {
  /** The console's build output (`dist/console`). */
  readonly dir: string;
}

/** Scripts, styles and connections only from Paddock itself; never framed. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const securityHeaders = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** API prefixes keep their JSON 404 instead of the console's page. */
const apiPrefixes = ['/v1/', '/k8s/', '/graphql/'];

const notBuilt = Buffer.from(
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Paddock</title>' +
    '<p>The web console is not built. Run <code>npm run build</code>, or use the GraphQL ' +
    'explorer at <a href="/graphql">/graphql</a>.</p></html>\n',
  'utf8',
);

export async function consoleRoute(options: ConsoleRouteOptions): Promise<HttpRoute> {
  const assets = await loadConsoleAssets(options.dir);
  const index = assets.get('/index.html');
  return {
    name: 'console',
    path: '/',
    prefix: true,
    handle(req, res) {
      const path = pathOf(req.url);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new PaddockError('NOT_FOUND', `no route for ${path}`);
      }
      const asset = path === '/' ? index : assets.get(path);
      if (asset !== undefined) {
        sendAsset(req, res, asset);
        return;
      }
      if (!isPageNavigation(req, path)) {
        throw new PaddockError('NOT_FOUND', `no route for ${path}`);
      }
      if (index === undefined) {
        res.writeHead(200, {
          ...securityHeaders,
          'content-type': 'text/html; charset=utf-8',
          'content-length': notBuilt.length,
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : notBuilt);
        return;
      }
      sendAsset(req, res, index);
    },
  };
}

/** A browser loading a client-side route: wants HTML, outside the API paths, no file suffix. */
function isPageNavigation(req: IncomingMessage, path: string): boolean {
  if (!(req.headers.accept ?? '').includes('text/html')) return false;
  if (apiPrefixes.some((prefix) => path.startsWith(prefix))) return false;
  if (path.startsWith('/assets/')) return false;
  return !/\.[a-z0-9]+$/i.test(path);
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: ConsoleAsset): void {
  const gzip = asset.gzip !== undefined && acceptsGzip(req) ? asset.gzip : undefined;
  // Each encoding is its own representation, so each has its own strong validator.
  const etag = gzip === undefined ? asset.etag : `${asset.etag.slice(0, -1)}-gz"`;
  const headers: Record<string, string | number> = {
    ...securityHeaders,
    'content-type': asset.contentType,
    etag,
    vary: 'accept-encoding',
    'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = gzip ?? asset.body;
  if (gzip !== undefined) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}
