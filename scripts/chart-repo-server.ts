// A Helm chart repository over HTTPS, as a static host serves one: index.yaml and .tgz files
// from a directory, optional basic auth, and ETag / Last-Modified answers to conditional
// requests (so tests see whether a refresh asked conditionally). Used by tests and the demo.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface ChartRepoServer {
  readonly url: string;
  readonly requests: { method: string; path: string; status: number; conditional: boolean }[];
  /** Breaks (500) or mends the repository. */
  setBroken(broken: boolean): void;
  close(): Promise<void>;
}

export async function startChartRepoServer(options: {
  dir: string;
  certPem: string;
  keyPem: string;
  /** URL path the files are served under, e.g. `/charts`. */
  prefix?: string;
  credentials?: { username: string; password: string };
  port?: number;
}): Promise<ChartRepoServer> {
  const prefix = options.prefix ?? '';
  const requests: ChartRepoServer['requests'] = [];
  let broken = false;
  const server: Server = createServer(
    { cert: options.certPem, key: options.keyPem },
    (req, res) => {
      void (async () => {
        const path = new URL(req.url ?? '/', 'https://x').pathname;
        const conditional =
          req.headers['if-none-match'] !== undefined ||
          req.headers['if-modified-since'] !== undefined;
        const done = (
          status: number,
          body?: Buffer | string,
          headers: Record<string, string> = {},
        ) => {
          requests.push({ method: req.method ?? 'GET', path, status, conditional });
          res.writeHead(status, headers);
          res.end(body);
        };
        if (options.credentials) {
          const expected = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
          if (req.headers.authorization !== expected) {
            done(401, 'unauthorized', { 'www-authenticate': 'Basic realm="charts"' });
            return;
          }
        }
        if (broken) {
          done(500, 'broken on purpose');
          return;
        }
        if (!path.startsWith(`${prefix}/`)) {
          done(404, 'not found');
          return;
        }
        const rel = normalize(path.slice(prefix.length + 1));
        if (rel.startsWith('..') || rel.includes('/') || !/\.(yaml|tgz)$/.test(rel)) {
          done(404, 'not found');
          return;
        }
        try {
          const file = join(options.dir, rel);
          const [body, info] = await Promise.all([readFile(file), stat(file)]);
          const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
          const lastModified = info.mtime.toUTCString();
          if (req.headers['if-none-match'] === etag) {
            done(304, undefined, { etag, 'last-modified': lastModified });
            return;
          }
          done(200, body, {
            etag,
            'last-modified': lastModified,
            'content-type': rel.endsWith('.yaml') ? 'text/yaml' : 'application/gzip',
          });
        } catch {
          done(404, 'not found');
        }
      })();
    },
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}${prefix}`,
    requests,
    setBroken(value) {
      broken = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
