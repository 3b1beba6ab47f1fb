import { Writable } from 'node:stream';
import { expect } from 'chai';
import { PaddockError } from '../../../src/errors/index.js';
import {
  createHttpMetrics,
  createLogger,
  createPaddockServer,
  type HttpRoute,
  healthRoutes,
  metricsRoute,
  type PaddockServer,
  type ReadinessCheck,
} from '../../../src/server/index.js';
import { fetchText } from '../../support/http-client.js';

function captureLogs(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef0123456789';

describe('createPaddockServer', () => {
  let server: PaddockServer;
  let base: string;
  let ready: ReadinessCheck;
  let storeUp = true;
  let releaseSlow: (() => void) | undefined;
  const logs = captureLogs();

  before(async () => {
    ready = {
      name: 'store',
      check: async () => {
        if (!storeUp) throw new Error('store unreachable');
      },
    };
    const metrics = createHttpMetrics();
    const extra: HttpRoute[] = [
      {
        name: 'slow',
        path: '/slow',
        handle: async (_req, res) => {
          await new Promise<void>((resolve) => {
            releaseSlow = resolve;
          });
          res.end('done');
        },
      },
      {
        name: 'boom',
        path: '/boom',
        handle: () => {
          throw new Error('database password is hunter2');
        },
      },
      {
        name: 'conflict',
        path: '/conflict',
        handle: () => {
          throw new PaddockError('CONFLICT', 'already exists');
        },
      },
    ];
    server = createPaddockServer({
      routes: [
        ...healthRoutes([ready]),
        metricsRoute(metrics, {
          authenticator: {
            authenticate: async () => {
              throw new PaddockError('UNAUTHENTICATED', 'authentication required');
            },
          },
          mayView: async () => false,
          visibleClusterIds: async () => 'all',
          scrapeToken: SCRAPE_TOKEN,
        }),
        ...extra,
      ],
      logger: createLogger({ level: 'info', destination: logs.stream }),
      metrics,
    });
    const address = await server.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    releaseSlow?.();
    await server.shutdown(100);
  });

  it('answers /healthz with 200', async () => {
    const res = await fetchText(`${base}/healthz`);
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.body)).to.deep.equal({ status: 'ok' });
  });

  it('puts a request id on the response and on every log line of the request', async () => {
    const res = await fetchText(`${base}/healthz`);
    const id = res.headers['x-request-id'];
    expect(id).to.be.a('string').with.length.greaterThan(8);
    expect(logs.lines.some((l) => l.reqId === id && l.msg === 'request')).to.equal(true);
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const kept = await fetchText(`${base}/healthz`, {
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(kept.headers['x-request-id']).to.equal('trace-12345678');
    const replaced = await fetchText(`${base}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces and {braces}' },
    });
    expect(replaced.headers['x-request-id']).not.to.contain('bad');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await fetchText(`${base}/nope`);
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.contain('application/json');
    expect(JSON.parse(res.body).error.code).to.equal('NOT_FOUND');
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const res = await fetchText(`${base}/healthz`, { method: 'DELETE' });
    expect(res.status).to.equal(405);
    expect(res.headers.allow).to.equal('GET, HEAD');
  });

  it('maps a PaddockError to its status and masks any other error', async () => {
    const conflict = await fetchText(`${base}/conflict`);
    expect(conflict.status).to.equal(409);
    const boom = await fetchText(`${base}/boom`);
    expect(boom.status).to.equal(500);
    expect(boom.body).not.to.contain('hunter2');
    expect(boom.body).to.contain(String(boom.headers['x-request-id']));
  });

  it('reports not ready while a readiness check fails', async () => {
    storeUp = false;
    const down = await fetchText(`${base}/readyz`);
    storeUp = true;
    const up = await fetchText(`${base}/readyz`);
    expect(down.status).to.equal(503);
    expect(JSON.parse(down.body).checks.store).to.equal('store unreachable');
    expect(up.status).to.equal(200);
  });

  it('answers /metrics with 401 to a caller without the scrape token or a user', async () => {
    expect((await fetchText(`${base}/metrics`)).status).to.equal(401);
    const wrong = await fetchText(`${base}/metrics`, {
      headers: { authorization: `Bearer ${SCRAPE_TOKEN.slice(0, -1)}x` },
    });
    expect(wrong.status).to.equal(401);
  });

  it('exports request counts by route and status on /metrics', async () => {
    await fetchText(`${base}/nope`);
    const res = await fetchText(`${base}/metrics`, {
      headers: { authorization: `Bearer ${SCRAPE_TOKEN}` },
    });
    expect(res.status).to.equal(200);
    expect(res.body).to.match(
      /paddock_http_requests_total\{route="unmatched",method="GET",status="404"\} \d+/,
    );
    expect(res.body).to.contain('paddock_http_request_duration_seconds_bucket');
    expect(res.body).to.contain('paddock_process_cpu_seconds_total');
  });
});

describe('PaddockServer.shutdown', () => {
  it('lets an in-flight request finish, then closes', async () => {
    let release: (() => void) | undefined;
    let started: (() => void) | undefined;
    const startedP = new Promise<void>((r) => {
      started = r;
    });
    const server = createPaddockServer({
      routes: [
        {
          name: 'slow',
          path: '/slow',
          handle: async (_req, res) => {
            started?.();
            await new Promise<void>((r) => {
              release = r;
            });
            res.end('finished');
          },
        },
      ],
      logger: createLogger({ level: 'silent' }),
      metrics: createHttpMetrics(),
    });
    const { port } = await server.listen(0, '127.0.0.1');
    const pending = fetchText(`http://127.0.0.1:${port}/slow`, { agent: false });
    await startedP;
    const closing = server.shutdown(5000);
    release?.();
    const res = await pending;
    await closing;
    expect(res.body).to.equal('finished');
    const refused = await fetchText(`http://127.0.0.1:${port}/slow`).then(
      () => 'answered',
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect(refused).to.equal('ECONNREFUSED');
  });

  it('cuts a request that outlives the grace period', async () => {
    const server = createPaddockServer({
      routes: [{ name: 'hang', path: '/hang', handle: () => new Promise<void>(() => {}) }],
      logger: createLogger({ level: 'silent' }),
      metrics: createHttpMetrics(),
    });
    const { port } = await server.listen(0, '127.0.0.1');
    const pending = fetchText(`http://127.0.0.1:${port}/hang`, { agent: false }).catch(
      (err: NodeJS.ErrnoException) => err.code,
    );
    await new Promise((r) => setImmediate(r));
    const t0 = Date.now();
    await server.shutdown(200);
    expect(Date.now() - t0).to.be.lessThan(3000);
    expect(await pending).to.equal('ECONNRESET');
  });
});
