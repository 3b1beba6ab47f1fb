import { request } from 'node:http';
import { createServer } from 'node:net';
import { expect } from 'chai';
import { json } from '../datasources/support/fake-api-server.js';
import { type ProxyHarness, startProxyHarness } from './support/proxy-harness.js';
import { rawRequest } from './support/raw-http.js';

async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `https://127.0.0.1:${port}`;
}

/** Opens a streaming GET and hands back each chunk as it arrives. */
function openStream(port: number, path: string, token = 'alice') {
  const chunks: string[] = [];
  let ended = false;
  let status = 0;
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    headers: { authorization: `Bearer ${token}` },
  });
  const ready = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.on('data', (c: Buffer) => chunks.push(c.toString()));
      res.on('end', () => (ended = true));
      res.on('error', () => (ended = true));
      res.on('close', () => (ended = true));
      resolve();
    });
    req.on('error', (err) => {
      ended = true;
      reject(err);
    });
  });
  req.end();
  return {
    ready,
    chunks,
    get status() {
      return status;
    },
    get ended() {
      return ended;
    },
    close: () => req.destroy(),
  };
}

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the Kubernetes proxy', () => {
  let h: ProxyHarness;
  beforeEach(async () => {
    h = await startProxyHarness({
      recheckIntervalMs: 200,
      requestTimeoutMs: 500,
      maxBodyBytes: 1024,
    });
  });
  afterEach(async () => {
    await h.stop();
  });

  const send = (method: string, path: string, body = '', extra: string[] = []) =>
    rawRequest(
      h.port,
      [`${method} ${path} HTTP/1.1`, 'Host: x', 'Authorization: Bearer alice', ...extra],
      body,
    ).then((r) => {
      r.socket.destroy();
      return r;
    });

  it('forwards method, path, query and body to the cluster and relays the answer', async () => {
    h.api.route('POST /clusters/c1/api/v1/namespaces/default/configmaps', (_req, res, body) =>
      json(res, 201, { created: JSON.parse(body) }),
    );
    const res = await send(
      'POST',
      '/k8s/clusters/c1/api/v1/namespaces/default/configmaps?fieldManager=kubectl',
      '{"metadata":{"name":"x"}}',
      ['Content-Type: application/json'],
    );
    expect(res.status).to.equal(201);
    expect(JSON.parse(res.body)).to.deep.equal({ created: { metadata: { name: 'x' } } });
    expect(h.api.requests.at(-1)?.url).to.equal(
      '/clusters/c1/api/v1/namespaces/default/configmaps?fieldManager=kubectl',
    );
  });

  it('writes one audit line per mutating request and none for reads', async () => {
    await send('GET', '/k8s/clusters/c1/api/v1/pods');
    await send('DELETE', '/k8s/clusters/c1/api/v1/namespaces/default/pods/p1');
    await until(() => h.audit.length > 0, 2000, 'audit line');
    expect(h.audit).to.have.length(1);
    expect(h.audit[0]).to.include({
      kind: 'k8s-proxy',
      userId: 'u-alice',
      username: 'alice',
      clusterId: 'c1',
      verb: 'delete',
      method: 'DELETE',
      path: '/api/v1/namespaces/default/pods/p1',
      status: 200,
    });
    expect(h.audit[0]?.groups).to.deep.equal([
      'openldap_group://cn=devs,dc=example',
      'github_team://42',
    ]);
    expect(h.audit[0]?.durationMs).to.be.a('number');
  });

  it('counts requests per cluster in the injected Prometheus registry', async () => {
    await send('GET', '/k8s/clusters/c2/api/v1/pods');
    await until(() => h.proxy.openStreams.size === 0, 2000, 'request end');
    const text = await h.metrics.metrics();
    expect(text).to.match(/paddock_proxy_requests_total\{cluster="c2",verb="list",code="200"\} 1/);
    expect(text).to.contain(
      'paddock_proxy_request_duration_seconds_bucket{le="0.001",cluster="c2"',
    );
    expect(text).to.contain('paddock_proxy_requests_in_flight{cluster="c2"} 0');
  });

  it('refuses a body over the limit with 413 before calling the cluster', async () => {
    const before = h.api.requests.length;
    const res = await send(
      'POST',
      '/k8s/clusters/c1/api/v1/namespaces/d/configmaps',
      'x'.repeat(2048),
    );
    expect(res.status).to.equal(413);
    expect(JSON.parse(res.body)).to.include({ kind: 'Status', reason: 'RequestEntityTooLarge' });
    expect(h.api.requests.length).to.equal(before);
  });

  it('refuses a chunked body once it passes the limit', async () => {
    const chunk = 'y'.repeat(600);
    const r = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: h.port,
          method: 'POST',
          path: '/k8s/clusters/c1/api/v1/namespaces/d/configmaps',
          headers: { authorization: 'Bearer alice' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(chunk);
      req.write(chunk);
      req.end();
    });
    expect(r).to.equal(413);
  });

  it('answers 503 Status when the cluster cannot be reached, then fails fast once the circuit opens', async () => {
    h.addCluster('dead', await deadEndpoint());
    for (let i = 0; i < 3; i += 1) {
      const res = await send('GET', '/k8s/clusters/dead/api/v1/pods');
      expect(res.status).to.equal(503);
      expect(JSON.parse(res.body)).to.include({ kind: 'Status', reason: 'ServiceUnavailable' });
    }
    expect(h.connections.get('dead')?.gate.circuit).to.equal('open');
    const started = process.hrtime.bigint();
    const res = await send('GET', '/k8s/clusters/dead/api/v1/pods');
    expect(res.status).to.equal(503);
    expect(JSON.parse(res.body).message).to.match(/unavailable/);
    expect(Number(process.hrtime.bigint() - started) / 1e6).to.be.lessThan(200);
  });

  it('answers 502 Status when the cluster resets the connection', async () => {
    h.api.route('GET /clusters/c1/api/v1/reset', (_req, res) => {
      res.socket?.destroy();
    });
    const res = await send('GET', '/k8s/clusters/c1/api/v1/reset');
    expect(res.status).to.equal(502);
    expect(JSON.parse(res.body)).to.include({ kind: 'Status', code: 502 });
  });

  it('answers 504 Status when the cluster does not answer in time', async () => {
    h.api.route('GET /clusters/c1/api/v1/slow', () => undefined);
    const res = await send('GET', '/k8s/clusters/c1/api/v1/slow');
    expect(res.status).to.equal(504);
    expect(JSON.parse(res.body)).to.include({ kind: 'Status', reason: 'Timeout' });
  });

  it('streams watch events as they happen, with no deadline', async () => {
    let push: ((line: string) => void) | undefined;
    h.api.route('GET /clusters/c1/api/v1/pods', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      push = (line) => res.write(`${line}\n`);
    });
    const watch = openStream(h.port, '/k8s/clusters/c1/api/v1/pods?watch=true');
    await watch.ready;
    expect(watch.status).to.equal(200);
    await until(() => push !== undefined, 2000, 'upstream watch');
    push?.('{"type":"ADDED"}');
    await until(() => watch.chunks.join('').includes('ADDED'), 2000, 'first event');
    // Longer than the 500 ms request timeout: a watch has none.
    await new Promise((r) => setTimeout(r, 700));
    push?.('{"type":"MODIFIED"}');
    await until(() => watch.chunks.join('').includes('MODIFIED'), 2000, 'second event');
    expect(watch.ended).to.equal(false);
    const text = await h.metrics.metrics();
    expect(text).to.contain('paddock_proxy_open_streams{cluster="c1",kind="watch"} 1');
    watch.close();
  });

  it('closes the caller’s open watch at once when its key is revoked', async () => {
    h.api.route('GET /clusters/c1/api/v1/pods', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    });
    h.auth.tokens.set('temp', { ...h.auth.tokens.get('alice')!, tokenId: 'tok-temp' });
    const mine = openStream(h.port, '/k8s/clusters/c1/api/v1/pods?watch=1', 'temp');
    const other = openStream(h.port, '/k8s/clusters/c1/api/v1/pods?watch=1', 'alice');
    await Promise.all([mine.ready, other.ready]);
    h.auth.revoke('temp');
    await until(() => mine.ended, 2000, 'revoked watch to close');
    expect(other.ended).to.equal(false);
    other.close();
  });

  it('closes a watch whose key stopped working even without a revocation event', async () => {
    h.api.route('GET /clusters/c1/api/v1/pods', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    });
    h.auth.tokens.set('quiet', { ...h.auth.tokens.get('alice')!, tokenId: 'tok-quiet' });
    const watch = openStream(h.port, '/k8s/clusters/c1/api/v1/pods?watch=1', 'quiet');
    await watch.ready;
    h.auth.revoke('quiet', false);
    await until(() => watch.ended, 3000, 're-authentication to close the watch');
  });

  it('relays upstream error statuses and bodies untouched', async () => {
    h.api.route('GET /clusters/c1/api/v1/namespaces/x/pods/y', (_req, res) =>
      json(res, 403, { kind: 'Status', code: 403, reason: 'Forbidden', message: 'nope' }),
    );
    const res = await send('GET', '/k8s/clusters/c1/api/v1/namespaces/x/pods/y');
    expect(res.status).to.equal(403);
    expect(JSON.parse(res.body)).to.include({ message: 'nope' });
  });

  it('strips hop-by-hop headers from the cluster’s answer', async () => {
    h.api.route('GET /clusters/c1/api/v1/hop', (_req, res) => {
      res.writeHead(200, {
        connection: 'x-private',
        'x-private': 'secret',
        'proxy-authenticate': 'Basic',
        'x-kept': '1',
        'content-length': '2',
      });
      res.end('ok');
    });
    const res = await send('GET', '/k8s/clusters/c1/api/v1/hop');
    const names = res.headers.map(([n]) => n.toLowerCase());
    expect(names).to.include('x-kept').and.not.include('x-private');
    expect(names).to.not.include('proxy-authenticate');
  });
});
