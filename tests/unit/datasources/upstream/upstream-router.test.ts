import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerHttp2Stream } from 'node:http2';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { Http1Upstream } from '../../../../src/datasources/upstream/http1-upstream.js';
import { Http2Upstream } from '../../../../src/datasources/upstream/http2-upstream.js';
import { UpstreamRouter } from '../../../../src/datasources/upstream/upstream-router.js';
import type { UpstreamCall, UpstreamRequest } from '../../../../src/domain/cluster-upstream.js';
import { waitFor } from '../../../support/wait-for.js';
import { testTlsMaterial } from '../support/fake-api-server.js';
import { type Http2TestServer, startHttp2Server } from './support/http2-fixtures.js';
import {
  loopbackPoolOptions,
  MiB,
  patternBytes,
  plainRequest,
  RecordingSink,
  readBody,
  type ServerCert,
  sha256,
  startHttpsServer,
  type TestServer,
  watchRequest,
} from './support/upstream-fixtures.js';

describe('UpstreamRouter', () => {
  let caPem: string;
  let cert: ServerCert;
  const servers: TestServer[] = [];
  const routers: UpstreamRouter[] = [];

  before(async () => {
    const material = await testTlsMaterial();
    caPem = material.caPem;
    cert = material;
  });

  afterEach(async () => {
    for (const router of routers.splice(0)) router.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  function routerFor(port: number): UpstreamRouter {
    const options = loopbackPoolOptions(port, caPem);
    const router = new UpstreamRouter(new Http1Upstream(options), new Http2Upstream(options));
    routers.push(router);
    return router;
  }

  const request = plainRequest;

  const watch = watchRequest;

  function send(router: UpstreamRouter, req: UpstreamRequest, sink = new RecordingSink()) {
    const call = router.send(req, sink);
    return { sink, call };
  }

  /**
   * A server that speaks both protocols: HTTP/2 streams are held open after one line
   * (watches), HTTP/1.1 requests are answered at once. `seen` records which carried what.
   */
  async function bothProtocols(seen: string[], held: ServerHttp2Stream[] = []) {
    const server = await startHttp2Server(
      cert,
      (stream, headers) => {
        seen.push(`h2 ${headers[':method']} ${headers[':path']}`);
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.write('{"type":"ADDED"}\n');
        held.push(stream);
      },
      {
        http1: (req, res) => {
          void readBody(req).then((body) => {
            seen.push(`http/${req.httpVersion} ${req.method} ${req.url} ${body.length}`);
            res.end('over HTTP/1.1');
          });
        },
      },
    );
    servers.push(server);
    return server;
  }

  async function https(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<{ server: TestServer; tcpConnections: () => number }> {
    let tcp = 0;
    const server = await startHttpsServer(cert, handler, (s) => s.on('connection', () => tcp++));
    servers.push(server);
    return { server, tcpConnections: () => tcp };
  }

  const started = (sinks: RecordingSink[]) => () =>
    sinks.every((s) => s.chunks.length > 0) ? true : undefined;

  it('sends long-lived requests over HTTP/2 and every other request over HTTP/1.1', async () => {
    const seen: string[] = [];
    const server = await bothProtocols(seen);
    const router = routerFor(server.port);
    const watching = send(router, watch(server.port)).sink;
    await waitFor('the watch to start', started([watching]));
    const plain = await send(router, request(server.port)).sink.settle();
    const notLongLived = await send(
      router,
      request(server.port, { longLived: false }),
    ).sink.settle();
    const withBody = await send(
      router,
      watch(server.port, {
        method: 'POST',
        path: '/api/v1/namespaces',
        body: { stream: Readable.from([Buffer.from('{"kind":"Namespace"}')]), length: 20 },
        idleTimeoutMs: 5_000,
      }),
    ).sink.settle();
    for (const sink of [plain, notLongLived, withBody]) expect(sink.text).to.equal('over HTTP/1.1');
    expect(seen).to.deep.equal([
      'h2 GET /api/v1/pods?watch=1',
      'http/1.1 GET /api/v1/pods 0',
      'http/1.1 GET /api/v1/pods 0',
      'http/1.1 POST /api/v1/namespaces 20',
    ]);
    expect(watching.settled).to.equal(false);
    expect(router.http2.connections).to.equal(1);
    expect(router.http1.openConnections).to.equal(1);
  });

  it('shares one HTTP/2 connection among watches while plain requests reuse a kept-alive HTTP/1.1 one', async () => {
    const seen: string[] = [];
    const server: Http2TestServer = await bothProtocols(seen);
    const router = routerFor(server.port);
    const watches = Array.from({ length: 4 }, () => send(router, watch(server.port)).sink);
    for (let i = 0; i < 3; i++) {
      expect((await send(router, request(server.port)).sink.settle()).text).to.equal(
        'over HTTP/1.1',
      );
    }
    await waitFor('every watch to start', started(watches));
    expect(server.sessions()).to.equal(1);
    expect(server.streams()).to.equal(4);
    expect(server.http1Requests()).to.equal(3);
    expect(server.tcpConnections()).to.equal(2);
  });

  it('serves a watch from a server that offers only h2', async () => {
    const held: ServerHttp2Stream[] = [];
    const server = await startHttp2Server(cert, (stream) => {
      stream.respond({ ':status': 200 });
      stream.write('{"type":"ADDED"}\n');
      held.push(stream);
    });
    servers.push(server);
    const { sink } = send(routerFor(server.port), watch(server.port));
    await waitFor('the watch to start', started([sink]));
    held[0]!.end('{"type":"DELETED"}\n');
    await sink.settle();
    expect(sink.events.at(-1)).to.equal('end');
    expect(sink.text).to.equal('{"type":"ADDED"}\n{"type":"DELETED"}\n');
    expect(server.sessions()).to.equal(1);
  });

  it('streams a long-lived request to an HTTP/1.1-only server through the fallback', async () => {
    const versions: string[] = [];
    let watchRes: ServerResponse | undefined;
    const { server } = await https((req, res) => {
      versions.push(req.httpVersion);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      watchRes = res;
    });
    const router = routerFor(server.port);
    const { sink } = send(router, watch(server.port));
    await waitFor('the watch head', () => (sink.status === 200 ? true : undefined));
    const events = ['{"type":"ADDED"}\n', '{"type":"MODIFIED"}\n'];
    for (const [i, event] of events.entries()) {
      watchRes!.write(event);
      const expected = events.slice(0, i + 1).join('');
      await waitFor(`watch event ${i}`, () => (sink.text === expected ? true : undefined));
      expect(sink.settled).to.equal(false);
    }
    watchRes!.end();
    await sink.settle();
    expect(sink.events.at(-1)).to.equal('end');
    expect(versions).to.deep.equal(['1.1']);
    expect(router.http2.connections).to.equal(0);
  });

  it('pauses and resumes a fallen-back long-lived answer, which arrives intact', async () => {
    const data = patternBytes(3 * MiB, 13);
    const { server } = await https((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let at = 0; at < data.length; at += 100_000) res.write(data.subarray(at, at + 100_000));
      res.end();
    });
    const sink = new RecordingSink();
    let call: UpstreamCall | undefined;
    let pauses = 0;
    sink.dataResult = () => {
      if (sink.chunks.length % 8 !== 0) return true;
      pauses++;
      setImmediate(() => call?.resume());
      return false;
    };
    call = send(routerFor(server.port), watch(server.port), sink).call;
    await sink.settle(20_000);
    expect(sink.error).to.equal(undefined);
    expect(sha256(sink.body)).to.equal(sha256(data));
    expect(pauses).to.be.greaterThan(5);
  });

  it('aborts a fallen-back long-lived request on its HTTP/1.1 connection', async () => {
    const { server } = await https((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED"}\n');
    });
    const router = routerFor(server.port);
    const { sink, call } = send(router, watch(server.port));
    await waitFor('the first chunk', () => (sink.chunks.length > 0 ? true : undefined));
    call.abort();
    await waitFor('the server to see every connection close', () =>
      server.openSockets() === 0 ? true : undefined,
    );
    expect(router.http1.openConnections).to.equal(0);
    expect(sink.events).to.deep.equal(['head', 'data']);
  });

  it('sends nothing for a long-lived request aborted while the server was being probed for h2', async () => {
    let requests = 0;
    const { server, tcpConnections } = await https((_req, res) => {
      requests++;
      res.end('over HTTP/1.1');
    });
    const router = routerFor(server.port);
    const aborted = send(router, watch(server.port));
    aborted.call.abort();
    await waitFor('the probe connection to close', () =>
      tcpConnections() === 1 && server.openSockets() === 0 ? true : undefined,
    );
    // Had the aborted request gone on over HTTP/1.1, it would have arrived before this one.
    const plain = await send(router, request(server.port)).sink.settle();
    expect(plain.text).to.equal('over HTTP/1.1');
    expect(requests).to.equal(1);
    expect(aborted.sink.events).to.deep.equal([]);
  });

  it('closes both pools on close(): open calls fail and later requests of either kind are refused', async () => {
    const seen: string[] = [];
    const server = await bothProtocols(seen);
    const router = routerFor(server.port);
    const watching = send(router, watch(server.port)).sink;
    await waitFor('the watch to start', started([watching]));
    await send(router, request(server.port)).sink.settle();
    router.close();
    await watching.settle();
    expect(watching.events).to.deep.equal(['head', 'data', 'error']);
    expect(watching.error?.code).to.equal('UPSTREAM_CLOSED');
    for (const req of [watch(server.port), request(server.port)]) {
      const late = await send(router, req).sink.settle();
      expect(late.events).to.deep.equal(['error']);
      expect(late.error?.code).to.equal('UPSTREAM_CLOSED');
    }
    await waitFor('the server to see every connection close', () =>
      server.openSockets() === 0 ? true : undefined,
    );
    expect(server.tcpConnections()).to.equal(2);
  });
});
