/**
 * Kept-alive HTTP/1.1 connections to one API server for the proxy's plain requests. It writes
 * each request head in one TLS record, parses the answer with `Http1ResponseParser` and hands
 * the body on as it arrives. Listeners are bound once per connection, not per request, and a
 * request costs no promise, AbortSignal or stream object: on this path that bookkeeping was a
 * sizeable share of the proxy's time (ADR 0010).
 */
import { connect, type TLSSocket } from 'node:tls';
import type {
  ClusterUpstream,
  UpstreamCall,
  UpstreamRequest,
  UpstreamSink,
} from '../../domain/cluster-upstream.js';
import { Http1ResponseParser, type ResponseHeaders } from './http1-response-parser.js';
import {
  type UpstreamEndpointOptions,
  type UpstreamError,
  upstreamError,
} from './upstream-endpoint.js';

export interface Http1UpstreamOptions extends UpstreamEndpointOptions {
  /** Idle connections kept at most; more are closed when their request ends. */
  readonly maxIdle?: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

export class Http1Upstream implements ClusterUpstream {
  readonly #options: Http1UpstreamOptions;
  readonly #idle: Connection[] = [];
  readonly #open = new Set<Connection>();
  readonly #maxIdle: number;
  #closed = false;

  constructor(options: Http1UpstreamOptions) {
    this.#options = options;
    this.#maxIdle = options.maxIdle ?? 256;
  }

  send(request: UpstreamRequest, sink: UpstreamSink): UpstreamCall {
    let head: string;
    try {
      head = requestHead(request);
    } catch (err) {
      return failedCall(sink, err as UpstreamError);
    }
    if (this.#closed) {
      return failedCall(sink, upstreamError('UPSTREAM_CLOSED', 'the connection pool is closed'));
    }
    const exchange = new Exchange(this, request, head, sink);
    exchange.start(this.#take());
    return exchange;
  }

  /** Open connections (idle and busy), for tests and metrics. */
  get openConnections(): number {
    return this.#open.size;
  }

  get idleConnections(): number {
    return this.#idle.length;
  }

  /** Whether `close()` was called; a closed pool opens no connection, not even for a retry. */
  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    for (const c of this.#open) c.socket.destroy();
    this.#open.clear();
    this.#idle.length = 0;
  }

  /** A kept-alive connection (most recently used first), or a new one. */
  #take(): Connection {
    for (let c = this.#idle.pop(); c !== undefined; c = this.#idle.pop()) {
      if (!c.socket.destroyed && c.socket.writable) return c;
    }
    return this.fresh();
  }

  /** A new connection, for a retry that must not meet another stale one. */
  fresh(): Connection {
    const o = this.#options;
    const socket =
      o.connect !== undefined
        ? o.connect({ ...o.tls, ALPNProtocols: ['http/1.1'] })
        : connect({ host: o.host, port: o.port, ...o.tls, ALPNProtocols: ['http/1.1'] });
    socket.setNoDelay(true);
    const connection = new Connection(socket, this, o.connectTimeoutMs);
    this.#open.add(connection);
    return connection;
  }

  /** An exchange finished cleanly on `c`: keep it for the next request if it may be reused. */
  release(c: Connection, reusable: boolean): void {
    if (!reusable || this.#closed || this.#idle.length >= this.#maxIdle) {
      c.socket.destroy();
      return;
    }
    c.socket.setTimeout(this.#options.keepAliveMs);
    this.#idle.push(c);
  }

  forget(c: Connection): void {
    this.#open.delete(c);
    const i = this.#idle.indexOf(c);
    if (i !== -1) this.#idle.splice(i, 1);
  }
}

/** One TLS connection; its listeners route events to whichever exchange owns it now. */
class Connection {
  exchange: Exchange | undefined;
  /** Whether a request has completed on it (a failure before any answer may be staleness). */
  used = false;
  connected = false;
  #error: UpstreamError | undefined;

  constructor(
    readonly socket: TLSSocket,
    readonly pool: Http1Upstream,
    connectTimeoutMs: number,
  ) {
    socket.setTimeout(connectTimeoutMs);
    socket.once('secureConnect', () => {
      this.connected = true;
      this.exchange?.onConnected();
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.exchange !== undefined) this.exchange.onData(chunk);
      // Bytes nobody asked for: the server is confused, do not reuse this connection.
      else socket.destroy();
    });
    socket.on('drain', () => this.exchange?.onDrain());
    socket.on('timeout', () => {
      if (this.exchange === undefined) socket.destroy();
      else
        this.exchange.onTimeout(
          this.connected
            ? 'the cluster did not answer in time'
            : 'connecting to the cluster timed out',
        );
    });
    socket.on('error', (err: UpstreamError) => {
      this.#error = err;
    });
    socket.on('close', () => {
      pool.forget(this);
      this.exchange?.onClose(this.#error);
      this.exchange = undefined;
    });
  }
}

/** One request and its answer. */
class Exchange implements UpstreamCall {
  #connection: Connection | undefined;
  #parser: Http1ResponseParser;
  #finished = false;
  #bodyDone: boolean;
  #retried = false;
  #paused = false;
  readonly #pool: Http1Upstream;
  readonly #request: UpstreamRequest;
  readonly #head: string;
  readonly #sink: UpstreamSink;

  constructor(pool: Http1Upstream, request: UpstreamRequest, head: string, sink: UpstreamSink) {
    this.#pool = pool;
    this.#request = request;
    this.#head = head;
    this.#sink = sink;
    this.#bodyDone = request.body === undefined;
    this.#parser = this.#newParser();
  }

  start(c: Connection): void {
    this.#connection = c;
    c.exchange = this;
    if (c.connected) c.socket.setTimeout(this.#request.idleTimeoutMs);
    c.socket.write(this.#head, 'latin1');
    if (this.#request.body !== undefined) this.#pipeBody(this.#request.body);
  }

  onConnected(): void {
    this.#connection?.socket.setTimeout(this.#request.idleTimeoutMs);
  }

  onData(chunk: Buffer): void {
    if (this.#finished) return;
    let complete: boolean;
    try {
      complete = this.#parser.execute(chunk);
    } catch (err) {
      this.#drop();
      this.fail(err as UpstreamError);
      return;
    }
    if (!complete || this.#finished) return;
    this.#finished = true;
    const c = this.#connection!;
    c.used = true;
    c.exchange = undefined;
    this.#connection = undefined;
    if (this.#paused) c.socket.resume();
    this.#pool.release(c, this.#parser.keepAlive && this.#bodyDone);
    this.#end();
  }

  /** The sink's last word; it runs inside a socket event, where a throw would be fatal. */
  #end(): void {
    this.#dropBody();
    try {
      this.#sink.onEnd();
    } catch {
      // The sink owns its errors; the exchange is over either way.
    }
  }

  onDrain(): void {
    this.#request.body?.stream.resume();
  }

  onTimeout(message: string): void {
    this.#drop();
    this.fail(upstreamError('UPSTREAM_TIMEOUT', message));
  }

  onClose(socketError: UpstreamError | undefined): void {
    if (this.#finished) return;
    const c = this.#connection;
    this.#connection = undefined;
    try {
      this.#parser.finish();
    } catch {
      // A kept-alive connection the server closed just before our request: nothing was
      // answered and nothing processed, so an idempotent request without a body goes again.
      if (
        c?.used === true &&
        !this.#retried &&
        !this.#pool.closed &&
        !this.#parser.headReceived &&
        this.#request.body === undefined &&
        IDEMPOTENT.has(this.#request.method)
      ) {
        this.#retried = true;
        this.#parser = this.#newParser();
        this.start(this.#pool.fresh());
        return;
      }
      this.fail(
        socketError ??
          upstreamError('UPSTREAM_CLOSED', 'the cluster closed the connection mid-request'),
      );
      return;
    }
    this.#finished = true;
    this.#end();
  }

  fail(err: UpstreamError): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#dropBody();
    try {
      this.#sink.onError(err);
    } catch {
      // As in #end: never throw into a socket event.
    }
  }

  abort(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#drop();
    this.#dropBody();
  }

  /** The exchange is over: the rest of a body (perhaps paused for backpressure) is dropped. */
  #dropBody(): void {
    if (!this.#bodyDone) this.#request.body?.stream.resume();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#connection?.socket.resume();
  }

  #newParser(): Http1ResponseParser {
    return new Http1ResponseParser(
      {
        // One socket read can hold several chunks: after an abort() from the sink (or a
        // failure) the parser finishes the read, but the sink hears nothing more.
        onHead: (status, headers: ResponseHeaders) => {
          if (!this.#finished) this.#sink.onHead(status, headers);
        },
        onData: (chunk) => {
          if (this.#finished) return;
          if (!this.#sink.onData(chunk) && !this.#paused) {
            this.#paused = true;
            this.#connection?.socket.pause();
          }
        },
      },
      this.#request.method === 'HEAD',
    );
  }

  /** Gives up the connection mid-exchange: it cannot carry another request. */
  #drop(): void {
    const c = this.#connection;
    this.#connection = undefined;
    if (c === undefined) return;
    c.exchange = undefined;
    c.socket.destroy();
  }

  #pipeBody(body: NonNullable<UpstreamRequest['body']>): void {
    const chunked = body.length === undefined;
    const { stream } = body;
    stream.on('data', (chunk: Buffer) => {
      // After a failure or an early answer the rest of the body is read and dropped.
      const socket = this.#connection?.socket;
      if (socket === undefined || chunk.length === 0) return;
      let ok: boolean;
      if (chunked) {
        // All three pieces go out whatever `write` answers: stopping at the first `false`
        // would drop the chunk (or its CRLF) and corrupt the framing.
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        ok = socket.write('\r\n', 'latin1');
      } else ok = socket.write(chunk);
      if (!ok) stream.pause();
    });
    stream.once('end', () => {
      this.#bodyDone = true;
      if (chunked) this.#connection?.socket.write('0\r\n\r\n', 'latin1');
    });
  }
}

function failedCall(sink: UpstreamSink, err: UpstreamError): UpstreamCall {
  let aborted = false;
  queueMicrotask(() => {
    if (aborted) return;
    try {
      sink.onError(err);
    } catch {
      // As in Exchange#fail: a throw from a microtask would take the process down.
    }
  });
  return {
    abort() {
      aborted = true;
    },
    resume() {},
  };
}

// The body's framing is the upstream connection's business, whatever the caller passed.
const FRAMING = new Set(['content-length', 'transfer-encoding']);

/** The request line and headers; a CR or LF in any of them refuses the request. */
function requestHead(request: UpstreamRequest): string {
  let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
  for (const name in request.headers) {
    if (FRAMING.has(name)) continue;
    const value = request.headers[name] as string | readonly string[];
    if (typeof value === 'string') head += headerLine(name, value);
    else for (const v of value) head += headerLine(name, v);
  }
  const body = request.body;
  if (body !== undefined) {
    head +=
      body.length === undefined
        ? 'transfer-encoding: chunked\r\n'
        : `content-length: ${body.length}\r\n`;
  }
  if (!/^[A-Z]+$/.test(request.method) || INVALID_PATH.test(request.path)) {
    throw upstreamError('ERR_INVALID_CHAR', 'invalid request line');
  }
  return `${head}\r\n`;
}

// Node's own rules for outgoing requests. The head is written as latin1, which keeps only the
// low byte of each character (U+010A becomes LF), so anything above U+00FF is refused too.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const INVALID_PATH = /[^\x21-\xff]/;

function headerLine(name: string, value: string): string {
  if (!TOKEN.test(name) || INVALID_VALUE.test(value)) {
    throw upstreamError('ERR_INVALID_CHAR', `invalid header ${JSON.stringify(name)}`);
  }
  return `${name}: ${value}\r\n`;
}
