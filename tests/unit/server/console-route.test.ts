import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  CONSOLE_CSP,
  consoleRoute,
  createHttpMetrics,
  createLogger,
  createPaddockServer,
  type PaddockServer,
} from '../../../src/server/index.js';
import { fetchText } from '../../support/http-client.js';
import { makeTempDir } from '../../support/temp-dir.js';

const INDEX =
  '<!doctype html><title>Paddock</title><script type="module" src="/assets/app-abc123.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

async function serve(dir: string): Promise<{ server: PaddockServer; base: string }> {
  const server = createPaddockServer({
    routes: [
      { name: 'graphql', path: '/graphql', handle: (_req, res) => void res.end('graphql') },
      await consoleRoute({ dir }),
    ],
    logger: createLogger({ level: 'silent' }),
    metrics: createHttpMetrics(),
  });
  const address = await server.listen(0, '127.0.0.1');
  return { server, base: `http://127.0.0.1:${address.port}` };
}

describe('the web console route', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: PaddockServer;
  let base: string;

  before(async () => {
    dir = await makeTempDir('console');
    await mkdir(join(dir.path, 'assets'));
    await writeFile(join(dir.path, 'index.html'), INDEX);
    await writeFile(join(dir.path, 'assets', 'app-abc123.js'), SCRIPT);
    ({ server, base } = await serve(dir.path));
  });

  after(async () => {
    await server?.shutdown(0);
    await dir?.remove();
  });

  it('serves index.html at / with a strict CSP, nosniff and no framing, revalidated on every load', async () => {
    const res = await fetchText(`${base}/`, { headers: { accept: 'text/html' } });
    expect(res.status).to.equal(200);
    expect(res.body).to.equal(INDEX);
    expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(res.headers['cache-control']).to.equal('no-cache');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.equal(CONSOLE_CSP);
    expect(CONSOLE_CSP).to.contain("script-src 'self'").and.to.contain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).to.not.contain('unsafe-inline');
  });

  it('serves the same page for a client-side route a browser navigates to', async () => {
    const res = await fetchText(`${base}/clusters/demo-1/nodes?page=2`, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(res.status).to.equal(200);
    expect(res.body).to.equal(INDEX);
  });

  it('caches content-hashed assets for good and answers a matching ETag with 304', async () => {
    const res = await fetchText(`${base}/assets/app-abc123.js`);
    expect(res.status).to.equal(200);
    expect(res.body).to.equal(SCRIPT);
    expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    const again = await fetchText(`${base}/assets/app-abc123.js`, {
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.status).to.equal(304);
  });

  it('sends gzip to a client that accepts it, under its own ETag', async () => {
    const plain = await fetchText(`${base}/assets/app-abc123.js`);
    const res = await fetch(`${base}/assets/app-abc123.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).to.equal('gzip');
    expect(res.headers.get('etag')).to.not.equal(plain.headers.etag);
    expect(await res.text()).to.equal(SCRIPT);
  });

  it('keeps JSON 404s for missing assets, API paths and non-browser requests', async () => {
    for (const [path, accept] of [
      ['/assets/missing-1.js', 'text/html'],
      ['/v1/nothing-here', 'text/html'],
      ['/k8s/x', 'text/html'],
      ['/somewhere', 'application/json'],
    ] as const) {
      const res = await fetchText(`${base}${path}`, { headers: { accept } });
      expect(res.status, path).to.equal(404);
      expect(JSON.parse(res.body).error.code).to.equal('NOT_FOUND');
    }
    const post = await fetchText(`${base}/clusters`, {
      method: 'POST',
      headers: { accept: 'text/html' },
    });
    expect(post.status).to.equal(404);
  });

  it('leaves other routes alone', async () => {
    expect((await fetchText(`${base}/graphql`)).body).to.equal('graphql');
  });

  it('says how to build the console when it was not built', async () => {
    const empty = await makeTempDir('console-empty');
    const other = await serve(join(empty.path, 'missing'));
    try {
      const res = await fetchText(`${other.base}/`, { headers: { accept: 'text/html' } });
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('npm run build');
      expect(res.headers['content-security-policy']).to.equal(CONSOLE_CSP);
    } finally {
      await other.server.shutdown(0);
      await empty.remove();
    }
  });
});
