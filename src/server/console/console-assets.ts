/**
 * The web console's built files (`dist/console`, made by `npm run build`), read once into
 * memory with a strong ETag and a gzip copy, so serving them touches no disk and no request
 * path ever reaches the file system.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ConsoleAsset {
  readonly body: Buffer;
  /** Present when compressing saved at least a tenth. */
  readonly gzip?: Buffer;
  readonly contentType: string;
  readonly etag: string;
  /** Content-hashed by the bundler: cache it for good. */
  readonly immutable: boolean;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** URL path (`/assets/index-3f2a.js`) → asset; empty when the console was not built. */
export async function loadConsoleAssets(dir: string): Promise<Map<string, ConsoleAsset>> {
  const assets = new Map<string, ConsoleAsset>();
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return assets;
    throw err;
  }
  for (const file of files) {
    const contentType = contentTypes[extname(file)];
    if (contentType === undefined) continue;
    const urlPath = `/${relative(dir, file).split(sep).join('/')}`;
    const body = await readFile(file);
    const gzip = gzipSync(body, { level: 9 });
    assets.set(urlPath, {
      body,
      ...(gzip.length < body.length * 0.9 ? { gzip } : {}),
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      immutable: urlPath.startsWith('/assets/'),
    });
  }
  return assets;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
