import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { expect } from 'chai';
import {
  Http1Upstream,
  type Http1UpstreamOptions,
} from '../../../../src/datasources/upstream/http1-upstream.js';
import type { UpstreamCall, UpstreamRequest } from '../../../../src/domain/cluster-upstream.js';
import { freePort } from '../../../support/free-port.js';
import { waitFor } from '../../../support/wait-for.js';
import { testTlsMaterial } from '../support/fake-api-server.js';
import {
  bodyStream,
  foreignServerCert,
  loopbackPoolOptions,
  MiB,
  onRequestHeads,
  patternBytes,
  plainRequest,
  RecordingSink,
  readBody,
  type ServerCert,
  sha256,
  startHttpsServer,
  startRawTlsServer,
  startSilentTcpServer,
  type TestServer,
} from './support/upstream-fixtures.js';

describe('Http1Upstream', () => {
  let caPem: string;
  let cert: ServerCert;
  /** A server certificate for 127.0.0.1 from a CA the pools below do not trust. */
  let foreignCert: ServerCert;
  const servers: TestServer[] = [];
  const pools: Http1Upstream[] = [];

  before(async () => {
    const material = await testTlsMaterial();
    caPem = material.caPem;
    cert = material;
    foreignCert = await foreignServerCert('h1');
  });

  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function https(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    configure?: Parameters<typeof startHttpsServer>[2],
    serverCert: ServerCert = cert,
  ): Promise<TestServer> {
    const server = await startHttpsServer(serverCert, handler, configure);
    servers.push(server);
    return server;
  }

  async function rawTls(onSocket: (socket: TLSSocket) => void): Promise<TestServer> {
    const server = await startRawTlsServer(cert, onSocket);
    servers.push(server);
    return server;
  }

  function poolFor(port: number, options: Partial<Http1UpstreamOptions> = {}): Http1Upstream {
    const pool = new Http1Upstream(loopbackPoolOptions(port, caPem, options));
    pools.push(pool);
    return pool;
  }

  const request = plainRequest;

  /** Sends one request and waits for its answer. */
  async function exchange(pool: Http1Upstream, req: UpstreamRequest): Promise<RecordingSink> {
    const sink = new RecordingSink();
    pool.send(req, sink);
    return sink.settle();
  }

  /** Answers every request with `text` and a content-length. */
  function answer(text: string, extraHeaders: Record<string, string> = {}) {
    return (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-length': Buffer.byteLength(text), ...extraHeaders });
      res.end(text);
    };
  }

  /** Records each request's raw header pairs and body, then answers 200 `ok`. */
  function recordingHandler(seen: { headers: [string, string][]; body: Buffer }[]) {
    return (req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then((body) => {
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
          pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
        }
        seen.push({ headers: pairs, body });
        res.writeHead(200, { 'content-length': 2 });
        res.end('ok');
      });
    };
  }

  describe('requests', () => {
    it('sends exactly the given header lines, repeated ones separately and in order', async () => {
      const seen: { headers: [string, string][]; body: Buffer }[] = [];
      const server = await https(recordingHandler(seen));
      const host = `127.0.0.1:${server.port}`;
      const sink = await exchange(
        poolFor(server.port),
        request(server.port, {
          headers: {
            host,
            accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
            'impersonate-group': ['dev', 'system:authenticated', 'dev'],
            'user-agent': 'kubectl/v1.31.0',
            'x-latin1': 'caf\u00e9',
          },
        }),
      );
      expect(sink.status).to.equal(200);
      expect(sink.text).to.equal('ok');
      expect(seen[0]!.headers).to.deep.equal([
        ['host', host],
        ['accept', 'application/json;as=Table;v=v1;g=meta.k8s.io'],
        ['impersonate-group', 'dev'],
        ['impersonate-group', 'system:authenticated'],
        ['impersonate-group', 'dev'],
        ['user-agent', 'kubectl/v1.31.0'],
        ['x-latin1', 'caf\u00e9'],
      ]);
    });

    it('replaces caller-supplied content-length and transfer-encoding with its own framing', async () => {
      const seen: { headers: [string, string][]; body: Buffer }[] = [];
      const server = await https(recordingHandler(seen));
      const pool = poolFor(server.port);
      const host = `127.0.0.1:${server.port}`;
      const lying = { host, 'content-length': '99', 'transfer-encoding': 'gzip' };
      await exchange(pool, request(server.port, { headers: lying }));
      await exchange(
        pool,
        request(server.port, {
          method: 'POST',
          headers: lying,
          body: { stream: Readable.from([Buffer.from('hello')]), length: 5 },
        }),
      );
      await exchange(
        pool,
        request(server.port, {
          method: 'PATCH',
          headers: lying,
          body: {
            stream: Readable.from([Buffer.from('abc'), Buffer.from('def')]),
            length: undefined,
          },
        }),
      );
      expect(seen.map((s) => s.headers)).to.deep.equal([
        [['host', host]],
        [
          ['host', host],
          ['content-length', '5'],
        ],
        [
          ['host', host],
          ['transfer-encoding', 'chunked'],
        ],
      ]);
      expect(seen.map((s) => s.body.toString())).to.deep.equal(['', 'hello', 'abcdef']);
    });

    it('reuses one kept-alive connection for consecutive requests', async () => {
      const server = await https(answer('ok'));
      const pool = poolFor(server.port);
      for (let i = 0; i < 5; i++) {
        const sink = await exchange(pool, request(server.port));
        expect(sink.text).to.equal('ok');
      }
      expect(server.connections()).to.equal(1);
      expect(pool.openConnections).to.equal(1);
      expect(pool.idleConnections).to.equal(1);
    });

    it('opens one connection per concurrent request and reuses them afterwards', async () => {
      const held: ServerResponse[] = [];
      const server = await https((_req, res) => {
        held.push(res);
        if (held.length === 3) for (const r of held.splice(0)) r.end('x');
      });
      const pool = poolFor(server.port);
      const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
      for (const sink of sinks) pool.send(request(server.port), sink);
      await Promise.all(sinks.map((s) => s.settle()));
      expect(server.connections()).to.equal(3);
      expect(pool.idleConnections).to.equal(3);
      for (const sink of [new RecordingSink(), new RecordingSink(), new RecordingSink()]) {
        pool.send(request(server.port), sink);
        sinks.push(sink);
      }
      await Promise.all(sinks.map((s) => s.settle()));
      expect(server.connections()).to.equal(3);
    });

    it('keeps no more idle connections than maxIdle', async () => {
      const held: ServerResponse[] = [];
      const server = await https((_req, res) => {
        held.push(res);
        if (held.length === 3) for (const r of held.splice(0)) r.end('x');
      });
      const pool = poolFor(server.port, { maxIdle: 1 });
      const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
      for (const sink of sinks) pool.send(request(server.port), sink);
      await Promise.all(sinks.map((s) => s.settle()));
      expect(pool.idleConnections).to.equal(1);
      await waitFor('surplus connections to close', () =>
        pool.openConnections === 1 && server.openSockets() === 1 ? true : undefined,
      );
    });

    it('delivers a POST body of known length intact', async () => {
      const data = patternBytes(MiB, 7);
      let received = '';
      const server = await https((req, res) => {
        void readBody(req).then((body) => {
          received = `${req.headers['content-length']} ${sha256(body)}`;
          res.end('done');
        });
      });
      const { stream, pauses } = bodyStream(data, 64 * 1024);
      const sink = await exchange(
        poolFor(server.port),
        request(server.port, { method: 'POST', body: { stream, length: data.length } }),
      );
      expect(sink.status).to.equal(200);
      expect(received).to.equal(`${MiB} ${sha256(data)}`);
      expect(pauses(), 'the body was paused for backpressure').to.be.greaterThan(0);
    });

    it('delivers a chunked 1 MiB POST body intact under backpressure', async () => {
      const data = patternBytes(MiB, 11);
      let received = '';
      const server = await https((req, res) => {
        void readBody(req).then((body) => {
          received = `${req.headers['transfer-encoding']} ${sha256(body)}`;
          res.end('done');
        });
      });
      const { stream, pauses } = bodyStream(data, 64 * 1024);
      const sink = await exchange(
        poolFor(server.port),
        request(server.port, { method: 'POST', body: { stream, length: undefined } }),
      );
      expect(sink.error).to.equal(undefined);
      expect(sink.status).to.equal(200);
      expect(received).to.equal(`chunked ${sha256(data)}`);
      expect(pauses(), 'the body was paused for backpressure').to.be.greaterThan(0);
    });

    it('reuses the connection after a request with a body', async () => {
      const server = await https((req, res) => {
        void readBody(req).then((body) => res.end(body.toString().toUpperCase()));
      });
      const pool = poolFor(server.port);
      for (const length of [3, undefined]) {
        const sink = await exchange(
          pool,
          request(server.port, {
            method: 'PUT',
            body: { stream: Readable.from([Buffer.from('abc')]), length },
          }),
        );
        expect(sink.text).to.equal('ABC');
      }
      expect(server.connections()).to.equal(1);
    });

    it('does not reuse a connection whose answer came before the body was sent', async () => {
      const server = await https((_req, res) => {
        res.writeHead(413, { 'content-length': 0, connection: 'keep-alive' });
        res.end();
      });
      const pool = poolFor(server.port);
      // A body that never ends: the answer arrives while it is still being sent.
      const body = new Readable({ read() {} });
      body.push(Buffer.from('partial'));
      const sink = await exchange(
        pool,
        request(server.port, { method: 'POST', body: { stream: body, length: 1000 } }),
      );
      expect(sink.status).to.equal(413);
      await waitFor('the connection to close', () =>
        pool.openConnections === 0 ? true : undefined,
      );
      body.push(Buffer.from('more after the answer'));
      body.push(null);
      await waitFor('the rest of the body to be read', () =>
        body.readableEnded ? true : undefined,
      );
    });

    it('reads and drops the rest of a large body after an early answer', async () => {
      const server = await https((_req, res) => {
        res.writeHead(413, { 'content-length': 0 });
        res.end();
      });
      const { stream } = bodyStream(patternBytes(8 * MiB), 64 * 1024);
      const sink = await exchange(
        poolFor(server.port),
        request(server.port, { method: 'POST', body: { stream, length: 8 * MiB } }),
      );
      expect(sink.status).to.equal(413);
      await waitFor('the body stream to be read to its end', () =>
        stream.readableEnded ? true : undefined,
      );
    });

    it('reads and drops the rest of a large body when the upload fails', async () => {
      const server = await https((req) => req.socket.destroy());
      const { stream } = bodyStream(patternBytes(8 * MiB), 64 * 1024);
      const sink = await exchange(
        poolFor(server.port),
        request(server.port, { method: 'PUT', body: { stream, length: undefined } }),
      );
      expect(sink.events).to.deep.equal(['error']);
      await waitFor('the body stream to be read to its end', () =>
        stream.readableEnded ? true : undefined,
      );
    });

    it('refuses a header value with CR or LF without opening a connection', async () => {
      const server = await https(answer('ok'));
      const pool = poolFor(server.port);
      const cases: UpstreamRequest[] = [
        request(server.port, { headers: { host: 'h', 'x-evil': 'a\r\nimpersonate-user: admin' } }),
        request(server.port, { headers: { host: 'h', 'x-evil': ['fine', 'a\nb'] } }),
        request(server.port, { headers: { host: 'h', 'x-evil': 'a\rb' } }),
        request(server.port, { headers: { host: 'h', 'x-evil:': 'a' } }),
        request(server.port, { path: '/api/v1/pods HTTP/1.1\r\nx: y' }),
        request(server.port, { path: '/api/v1/pods?q=a b' }),
        request(server.port, { method: 'get' }),
        request(server.port, { method: 'GET /x' }),
      ];
      for (const req of cases) {
        const sink = new RecordingSink();
        const call = pool.send(req, sink);
        expect(sink.events, 'the error is not delivered inside send()').to.deep.equal([]);
        await sink.settle();
        expect(sink.events, JSON.stringify(req)).to.deep.equal(['error']);
        expect(sink.error?.code).to.equal('ERR_INVALID_CHAR');
        call.abort();
        call.resume();
      }
      expect(pool.openConnections).to.equal(0);
      expect(server.connections()).to.equal(0);
    });

    it('refuses characters that latin1 would turn into CR or LF on the wire', async () => {
      const server = await https(answer('ok'));
      const pool = poolFor(server.port);
      // U+010D U+010A are written as the bytes 0D 0A by a latin1 encoder.
      for (const req of [
        request(server.port, {
          headers: { host: 'h', 'x-name': 'a\u010d\u010aimpersonate-user: admin' },
        }),
        request(server.port, { path: '/api/v1/pods\u0120HTTP/1.1' }),
      ]) {
        const sink = await exchange(pool, req);
        expect(sink.events, JSON.stringify(req)).to.deep.equal(['error']);
        expect(sink.error?.code).to.equal('ERR_INVALID_CHAR');
      }
      expect(server.connections()).to.equal(0);
    });
  });

  describe('answers', () => {
    it('streams a large answer into a sink that pauses and resumes, intact', async () => {
      const data = patternBytes(4 * MiB, 3);
      const server = await https((_req, res) => {
        res.writeHead(200, { 'content-length': data.length });
        res.end(data);
      });
      const pool = poolFor(server.port);
      const sink = new RecordingSink();
      let call: UpstreamCall | undefined;
      let pausedCount = 0;
      let paused = false;
      sink.dataResult = () => {
        if (paused || sink.chunks.length % 8 !== 0) return true;
        paused = true;
        pausedCount++;
        setTimeout(() => {
          paused = false;
          call?.resume();
        }, 1);
        return false;
      };
      call = pool.send(request(server.port), sink);
      await sink.settle(20_000);
      expect(sink.error).to.equal(undefined);
      expect(sink.body.length).to.equal(data.length);
      expect(sha256(sink.body)).to.equal(sha256(data));
      expect(pausedCount).to.be.greaterThan(5);
      // The paused connection was resumed for the next request.
      const next = await exchange(pool, request(server.port));
      expect(next.body.length).to.equal(data.length);
      expect(server.connections()).to.equal(1);
    });

    it('streams a large chunked answer into a paused sink, intact', async () => {
      const data = patternBytes(3 * MiB, 5);
      const server = await https((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let at = 0; at < data.length; at += 100_000)
          res.write(data.subarray(at, at + 100_000));
        res.end();
      });
      const sink = new RecordingSink();
      let call: UpstreamCall | undefined;
      sink.dataResult = () => {
        if (sink.chunks.length % 16 !== 0) return true;
        setImmediate(() => call?.resume());
        return false;
      };
      call = poolFor(server.port).send(request(server.port), sink);
      await sink.settle(20_000);
      expect(sink.headers?.['transfer-encoding']).to.equal('chunked');
      expect(sha256(sink.body)).to.equal(sha256(data));
    });

    it('delivers each chunk of a watch as it is written, before the answer ends', async () => {
      let watch: ServerResponse | undefined;
      const server = await https((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        watch = res;
      });
      const sink = new RecordingSink();
      poolFor(server.port, { keepAliveMs: 200 }).send(
        request(server.port, { path: '/api/v1/pods?watch=1', idleTimeoutMs: 0 }),
        sink,
      );
      await waitFor('the watch head', () => (sink.status === 200 ? true : undefined));
      const events = ['{"type":"ADDED"}\n', '{"type":"MODIFIED"}\n', '{"type":"DELETED"}\n'];
      for (const [i, event] of events.entries()) {
        watch!.write(event);
        const expected = events.slice(0, i + 1).join('');
        await waitFor(`watch event ${i}`, () => (sink.text === expected ? true : undefined));
        expect(sink.settled).to.equal(false);
      }
      watch!.end();
      await sink.settle();
      expect(sink.events.at(-1)).to.equal('end');
    });

    it('completes a HEAD answer on its head and reuses the connection', async () => {
      const server = await https((_req, res) => {
        res.writeHead(200, { 'content-length': 12345 });
        res.end();
      });
      const pool = poolFor(server.port);
      const head = await exchange(pool, request(server.port, { method: 'HEAD' }));
      expect(head.events).to.deep.equal(['head', 'end']);
      expect(head.headers?.['content-length']).to.equal('12345');
      await exchange(pool, request(server.port, { method: 'HEAD' }));
      expect(server.connections()).to.equal(1);
    });

    it('passes repeated response headers on as an array', async () => {
      const server = await https((_req, res) => {
        res.setHeader('warning', ['299 - "one"', '299 - "two"']);
        res.end('x');
      });
      const sink = await exchange(poolFor(server.port), request(server.port));
      expect(sink.headers?.warning).to.deep.equal(['299 - "one"', '299 - "two"']);
    });

    it('does not reuse a connection the server says it will close', async () => {
      const server = await https(answer('bye', { connection: 'close' }));
      const pool = poolFor(server.port);
      for (let i = 1; i <= 2; i++) {
        const sink = await exchange(pool, request(server.port));
        expect(sink.text).to.equal('bye');
        await waitFor('the connection to close', () =>
          pool.openConnections === 0 ? true : undefined,
        );
        expect(server.connections()).to.equal(i);
      }
    });

    it('does not reuse a connection that carried bytes after the answer', async () => {
      const server = await rawTls((socket) => {
        onRequestHeads(socket, () =>
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n'),
        );
      });
      const pool = poolFor(server.port);
      const sink = await exchange(pool, request(server.port));
      expect(sink.text).to.equal('ok');
      await waitFor('the connection to close', () =>
        pool.openConnections === 0 ? true : undefined,
      );
      await exchange(pool, request(server.port));
      expect(server.connections()).to.equal(2);
    });

    it('drops an idle connection that receives bytes nobody asked for', async () => {
      let idleSocket: TLSSocket | undefined;
      const server = await rawTls((socket) => {
        idleSocket = socket;
        onRequestHeads(socket, () => socket.write('HTTP/1.1 204 No Content\r\n\r\n'));
      });
      const pool = poolFor(server.port);
      await exchange(pool, request(server.port));
      expect(pool.idleConnections).to.equal(1);
      idleSocket!.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
      await waitFor('the confused connection to close', () =>
        pool.openConnections === 0 && server.openSockets() === 0 ? true : undefined,
      );
    });

    it('reports a malformed answer with its HPE_ code and closes the connection', async () => {
      const server = await rawTls((socket) => {
        onRequestHeads(socket, () =>
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nxx'),
        );
      });
      const pool = poolFor(server.port);
      const sink = await exchange(pool, request(server.port));
      expect(sink.events).to.deep.equal(['error']);
      expect(sink.error?.code).to.equal('HPE_INVALID_CONTENT_LENGTH');
      await waitFor('the connection to close', () =>
        pool.openConnections === 0 && server.openSockets() === 0 ? true : undefined,
      );
    });

    it('completes an answer delimited by the close', async () => {
      const server = await rawTls((socket) => {
        onRequestHeads(socket, () => socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end'));
      });
      const sink = await exchange(poolFor(server.port), request(server.port));
      expect(sink.events.at(-1)).to.equal('end');
      expect(sink.text).to.equal('until the end');
    });

    it('skips a 100 Continue before the answer', async () => {
      const server = await rawTls((socket) => {
        onRequestHeads(socket, () => {
          socket.write('HTTP/1.1 100 Continue\r\n\r\n');
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        });
      });
      const sink = await exchange(poolFor(server.port), request(server.port));
      expect(sink.events).to.deep.equal(['head', 'data', 'end']);
      expect(sink.status).to.equal(200);
    });
  });

  describe('timeouts', () => {
    it('fails with UPSTREAM_TIMEOUT when the server is silent for idleTimeoutMs', async () => {
      const server = await https(() => undefined);
      const pool = poolFor(server.port);
      const started = Date.now();
      const sink = await exchange(pool, request(server.port, { idleTimeoutMs: 200 }));
      expect(sink.events).to.deep.equal(['error']);
      expect(sink.error?.code).to.equal('UPSTREAM_TIMEOUT');
      expect(Date.now() - started).to.be.within(150, 3_000);
      await waitFor('the connection to close', () =>
        pool.openConnections === 0 && server.openSockets() === 0 ? true : undefined,
      );
    });

    it('fails with UPSTREAM_TIMEOUT when the body stalls, after the head', async () => {
      const server = await https((_req, res) => {
        res.writeHead(200, { 'content-length': 100 });
        res.write('x'.repeat(10));
      });
      const sink = await exchange(
        poolFor(server.port),
        request(server.port, { idleTimeoutMs: 200 }),
      );
      expect(sink.events).to.deep.equal(['head', 'data', 'error']);
      expect(sink.error?.code).to.equal('UPSTREAM_TIMEOUT');
    });

    it('waits without limit when idleTimeoutMs is 0, on a new and a reused connection', async () => {
      const server = await https((_req, res) => {
        setTimeout(() => res.end('slow'), 600);
      });
      // Every other deadline is shorter than the server's silence.
      const pool = poolFor(server.port, { connectTimeoutMs: 200, keepAliveMs: 200 });
      const fresh = await exchange(pool, request(server.port, { idleTimeoutMs: 0 }));
      expect(fresh.text).to.equal('slow');
      const reused = await exchange(pool, request(server.port, { idleTimeoutMs: 0 }));
      expect(reused.text).to.equal('slow');
      expect(server.connections()).to.equal(1);
    });

    it('fails with UPSTREAM_TIMEOUT when the TLS handshake does not finish in time', async () => {
      const server = await startSilentTcpServer();
      servers.push(server);
      const sink = await exchange(
        poolFor(server.port, { connectTimeoutMs: 200 }),
        request(server.port, { idleTimeoutMs: 0 }),
      );
      expect(sink.error?.code).to.equal('UPSTREAM_TIMEOUT');
      expect(sink.error?.message).to.match(/connecting/);
    });

    it('closes an idle connection after keepAliveMs', async () => {
      const server = await https(answer('ok'));
      const pool = poolFor(server.port, { keepAliveMs: 200 });
      await exchange(pool, request(server.port));
      expect(pool.idleConnections).to.equal(1);
      await waitFor('the idle connection to close', () =>
        pool.openConnections === 0 && server.openSockets() === 0 ? true : undefined,
      );
      expect(pool.idleConnections).to.equal(0);
    });
  });

  describe('failures', () => {
    it('reports a refused connection as ECONNREFUSED', async () => {
      const port = await freePort();
      const sink = await exchange(poolFor(port), request(port));
      expect(sink.events).to.deep.equal(['error']);
      expect(sink.error?.code).to.equal('ECONNREFUSED');
    });

    it('reports a connection destroyed mid-body through onError, after onHead', async () => {
      const server = await rawTls((socket) => {
        onRequestHeads(socket, () =>
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789', () =>
            socket.destroy(),
          ),
        );
      });
      const pool = poolFor(server.port);
      const sink = await exchange(pool, request(server.port));
      expect(sink.events[0]).to.equal('head');
      expect(sink.events.at(-1)).to.equal('error');
      expect(sink.error?.code).to.be.oneOf(['UPSTREAM_CLOSED', 'ECONNRESET']);
      expect(sink.text).to.equal('0123456789');
      await waitFor('the pool to forget it', () => (pool.openConnections === 0 ? true : undefined));
    });

    it('fails a certificate from another CA with a verification code', async () => {
      const server = await https(answer('ok'), undefined, foreignCert);
      const sink = await exchange(poolFor(server.port), request(server.port));
      expect(sink.events).to.deep.equal(['error']);
      expect(sink.error?.code).to.match(/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/);
    });

    it('fails a certificate for another name even from the trusted CA', async () => {
      const server = await https(answer('ok'));
      const sink = await exchange(
        poolFor(server.port, { tls: { ca: caPem, servername: 'not-this-server.example' } }),
        request(server.port),
      );
      expect(sink.error?.code).to.equal('ERR_TLS_CERT_ALTNAME_INVALID');
    });

    it('accepts any certificate with rejectUnauthorized: false', async () => {
      const server = await https(answer('ok'), undefined, foreignCert);
      const sink = await exchange(
        poolFor(server.port, { tls: { rejectUnauthorized: false } }),
        request(server.port),
      );
      expect(sink.text).to.equal('ok');
    });
  });

  describe('stale kept-alive connections', () => {
    /** Answers the first request on each connection; later ones per `later`. */
    async function serverDroppingLaterRequests(later: 'drop' | 'answer-on-new-only') {
      const perSocket = new WeakMap<object, number>();
      let requests = 0;
      const server = await https((req, res) => {
        requests++;
        const n = (perSocket.get(req.socket) ?? 0) + 1;
        perSocket.set(req.socket, n);
        const drop = later === 'drop' ? requests > 1 : n > 1;
        if (!drop) return void readBody(req).then(() => res.end(`answer ${requests}`));
        // The server closed the connection just as the next request arrived.
        req.socket.destroy();
      });
      return { server, requests: () => requests };
    }

    it('retries a GET once on a new connection when a kept-alive one was closed', async () => {
      const { server, requests } = await serverDroppingLaterRequests('answer-on-new-only');
      const pool = poolFor(server.port);
      expect((await exchange(pool, request(server.port))).text).to.equal('answer 1');
      const retried = await exchange(pool, request(server.port));
      expect(retried.events).to.deep.equal(['head', 'data', 'end']);
      expect(retried.text).to.equal('answer 3');
      expect(requests()).to.equal(3);
      expect(server.connections()).to.equal(2);
    });

    it('retries only once', async () => {
      const { server, requests } = await serverDroppingLaterRequests('drop');
      const pool = poolFor(server.port);
      await exchange(pool, request(server.port));
      const failed = await exchange(pool, request(server.port));
      expect(failed.events).to.deep.equal(['error']);
      expect(failed.error?.code).to.be.oneOf(['UPSTREAM_CLOSED', 'ECONNRESET']);
      expect(requests()).to.equal(3);
      expect(server.connections()).to.equal(2);
    });

    it('does not retry a POST with a body, which fails instead', async () => {
      const { server, requests } = await serverDroppingLaterRequests('answer-on-new-only');
      const pool = poolFor(server.port);
      const post = () =>
        request(server.port, {
          method: 'POST',
          body: { stream: Readable.from([Buffer.from('{"kind":"Pod"}')]), length: 14 },
        });
      expect((await exchange(pool, post())).text).to.equal('answer 1');
      const failed = await exchange(pool, post());
      expect(failed.events).to.deep.equal(['error']);
      expect(failed.error?.code).to.be.oneOf(['UPSTREAM_CLOSED', 'ECONNRESET', 'EPIPE']);
      expect(requests()).to.equal(2);
      expect(server.connections()).to.equal(1);
    });

    it('does not retry a DELETE, which is not idempotent here', async () => {
      const { server, requests } = await serverDroppingLaterRequests('answer-on-new-only');
      const pool = poolFor(server.port);
      await exchange(pool, request(server.port));
      const failed = await exchange(pool, request(server.port, { method: 'DELETE' }));
      expect(failed.events).to.deep.equal(['error']);
      expect(requests()).to.equal(2);
    });

    it('forgets a connection the server closed while idle and opens a new one', async () => {
      const server = await https(answer('ok'), (s) => {
        s.keepAliveTimeout = 100;
      });
      const pool = poolFor(server.port);
      await exchange(pool, request(server.port));
      await waitFor('the server to close the idle connection', () =>
        pool.openConnections === 0 ? true : undefined,
      );
      const sink = await exchange(pool, request(server.port));
      expect(sink.text).to.equal('ok');
      expect(server.connections()).to.equal(2);
    });
  });

  describe('abort and close', () => {
    /** A server that sends a head and one chunk of a watch, then holds the connection. */
    async function holdingServer() {
      let res: ServerResponse | undefined;
      const server = await https((_req, r) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        r.write('{"first":true}\n');
        res = r;
      });
      return { server, res: () => res };
    }

    it('closes the connection on abort() mid-answer, and calls the sink no more', async () => {
      const { server, res } = await holdingServer();
      const pool = poolFor(server.port);
      const sink = new RecordingSink();
      const call = pool.send(request(server.port, { idleTimeoutMs: 0 }), sink);
      await waitFor('the first chunk', () => (sink.chunks.length > 0 ? true : undefined));
      call.abort();
      await waitFor('the server to see the close', () =>
        server.openSockets() === 0 ? true : undefined,
      );
      expect(pool.openConnections).to.equal(0);
      res()!.write('{"late":true}\n');
      res()!.end();
      call.abort();
      call.resume();
      await new Promise((r) => setImmediate(r));
      expect(sink.events).to.deep.equal(['head', 'data']);
    });

    it('calls the sink no more after abort() inside onData, even within one read', async () => {
      const server = await rawTls((socket) => {
        onRequestHeads(socket, () =>
          socket.write(
            'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n' +
              '3\r\none\r\n3\r\ntwo\r\n5\r\nthree\r\n0\r\n\r\n',
          ),
        );
      });
      const pool = poolFor(server.port);
      const sink = new RecordingSink();
      let call: UpstreamCall | undefined;
      sink.dataResult = () => {
        call?.abort();
        return true;
      };
      call = pool.send(request(server.port), sink);
      await waitFor('the first chunk', () => (sink.chunks.length > 0 ? true : undefined));
      await waitFor('the connection to close', () =>
        pool.openConnections === 0 ? true : undefined,
      );
      await new Promise((r) => setImmediate(r));
      expect(sink.events).to.deep.equal(['head', 'data']);
      expect(sink.text).to.equal('one');
    });

    it('aborts a call that is still connecting without any callback', async () => {
      const server = await https(answer('ok'));
      const pool = poolFor(server.port);
      const sink = new RecordingSink();
      pool.send(request(server.port), sink).abort();
      await waitFor('the connection to be dropped', () =>
        pool.openConnections === 0 ? true : undefined,
      );
      await new Promise((r) => setImmediate(r));
      expect(sink.events).to.deep.equal([]);
    });

    it('calls nothing after abort() of a request it refused', async () => {
      const server = await https(answer('ok'));
      const pool = poolFor(server.port);
      const sink = new RecordingSink();
      pool.send(request(server.port, { path: '/a b' }), sink).abort();
      pool.close();
      const closedSink = new RecordingSink();
      pool.send(request(server.port), closedSink).abort();
      await new Promise((r) => setImmediate(r));
      expect(sink.events).to.deep.equal([]);
      expect(closedSink.events).to.deep.equal([]);
    });

    it('survives a sink that throws from its last callback', async () => {
      const server = await https(answer('ok'));
      const pool = poolFor(server.port);
      const throwing = (sink: RecordingSink) =>
        Object.assign(sink, {
          onEnd() {
            throw new Error('sink failure in onEnd');
          },
          onError() {
            throw new Error('sink failure in onError');
          },
        });
      pool.send(request(server.port), throwing(new RecordingSink()));
      pool.send(request(server.port, { path: '/a b' }), throwing(new RecordingSink()));
      await waitFor('the answered connection to be kept', () =>
        pool.idleConnections === 1 ? true : undefined,
      );
      const sink = await exchange(pool, request(server.port));
      expect(sink.text).to.equal('ok');
      expect(server.connections()).to.equal(1);
    });

    it('destroys every connection on close() and refuses later requests', async () => {
      const { server } = await holdingServer();
      const pool = poolFor(server.port);
      const inFlight = [new RecordingSink(), new RecordingSink()];
      for (const sink of inFlight) pool.send(request(server.port, { idleTimeoutMs: 0 }), sink);
      await waitFor('both answers to start', () =>
        inFlight.every((s) => s.chunks.length > 0) ? true : undefined,
      );
      expect(pool.openConnections).to.equal(2);
      pool.close();
      expect(pool.openConnections).to.equal(0);
      for (const sink of inFlight) {
        await sink.settle();
        expect(sink.events.at(-1)).to.equal('error');
      }
      await waitFor('the server to see every connection close', () =>
        server.openSockets() === 0 ? true : undefined,
      );
      const late = await exchange(pool, request(server.port));
      expect(late.error?.code).to.equal('UPSTREAM_CLOSED');
      expect(server.connections()).to.equal(2);
    });

    it('opens no new connection after close() for a GET in flight on a reused connection', async () => {
      let answered = 0;
      const server = await https((_req, res) => {
        // The first request is answered, the second one is held until the pool closes.
        if (answered++ === 0) res.end('first');
      });
      const pool = poolFor(server.port);
      await exchange(pool, request(server.port));
      const sink = new RecordingSink();
      pool.send(request(server.port), sink);
      await waitFor('the second request to arrive', () => (answered === 2 ? true : undefined));
      pool.close();
      await sink.settle();
      expect(sink.events).to.deep.equal(['error']);
      expect(sink.error?.code).to.equal('UPSTREAM_CLOSED');
      expect(pool.openConnections).to.equal(0);
      expect(server.connections()).to.equal(1);
    });
  });
});
