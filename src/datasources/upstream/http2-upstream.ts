/**
 * Long-lived proxied requests (watches, `logs -f`) multiplexed over a few shared HTTP/2
 * connections when the API server offers `h2`, as client-go does. Each watch through an
 * HTTP/1.1 upstream holds its own TLS connection, whose native state (~60 KB) is most of
 * what a watch costs Paddock; on HTTP/2 thousands of watches share a handful (ADR 0010).
 * A server that does not negotiate `h2` is remembered, and its requests go to the HTTP/1.1
 * path until `recheckMs` has passed.
 */
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect as connectHttp2,
  constants,
  type IncomingHttpHeaders,
} from 'node:http2';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import type { UpstreamCall, UpstreamRequest, UpstreamSink } from '../../domain/cluster-upstream.js';
import {
  authorityOf,
  type UpstreamEndpointOptions,
  type UpstreamError,
  upstreamError,
} from './upstream-endpoint.js';

/** `keepAliveMs` is how long a connection without streams stays open. */
export interface Http2UpstreamOptions extends UpstreamEndpointOptions {
  /** How long a server that answered without `h2` is not asked again (default 5 min). */
  readonly recheckMs?: number;
  readonly now?: () => number;
}

// Streams per connection before the server's own limit is known (RFC 9113 suggests ≥ 100).
const DEFAULT_STREAM_LIMIT = 100;

// Connection-specific headers HTTP/2 forbids; `host` becomes `:authority`.
const NOT_ON_HTTP2 = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'content-length',
]);

/** One HTTP/2 connection and how many of its streams are open. */
interface Session {
  readonly session: ClientHttp2Session;
  active: number;
  /** False after GOAWAY or an error: open streams finish, no new ones start. */
  usable: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

type Dialled =
  | { kind: 'h2'; session: Session }
  | { kind: 'http/1.1' }
  | { kind: 'failed'; err: UpstreamError };

export class Http2Upstream {
  readonly #options: Http2UpstreamOptions;
  readonly #now: () => number;
  readonly #authority: string;
  readonly #sessions: Session[] = [];
  #dialling: Promise<Dialled> | undefined;
  #http1Until = 0;
  #closed = false;

  constructor(options: Http2UpstreamOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#authority = authorityOf(options);
  }

  /** Open HTTP/2 connections, for tests and metrics. */
  get connections(): number {
    return this.#sessions.length;
  }

  /**
   * Sends `request` on HTTP/2, or hands it to `http1` (at once, or after a dial that found no
   * `h2`; nothing has been sent then). Requests with a body always go to `http1`.
   */
  send(request: UpstreamRequest, sink: UpstreamSink, http1: () => UpstreamCall): UpstreamCall {
    if (this.#closed || request.body !== undefined || this.#now() < this.#http1Until)
      return http1();
    const call = new Http2Call(request, sink, this.#authority);
    this.#place(call, http1);
    return call;
  }

  /** Starts `call` on a connection with a free stream, dialling one if none has. */
  #place(call: Http2Call, http1: () => UpstreamCall, attempt = 0): void {
    const ready = this.#sessions.find((s) => s.usable && s.active < limitOf(s.session));
    if (ready !== undefined) {
      this.#start(ready, call);
      return;
    }
    this.#dial().then((dialled) => {
      if (call.aborted) return;
      if (this.#closed)
        call.fail(upstreamError('UPSTREAM_CLOSED', 'the connection pool is closed'));
      // Requests that waited for the same dial may have filled it: place again. A connection
      // that is still up gave some of them a slot, so only one already lost counts as a try
      // (a server that drops every new connection at once gets a few tries, not a loop).
      else if (dialled.kind === 'h2' && (dialled.session.usable || attempt < 3))
        this.#place(call, http1, dialled.session.usable ? attempt : attempt + 1);
      else if (dialled.kind === 'h2')
        call.fail(upstreamError('UPSTREAM_CLOSED', 'no usable HTTP/2 connection'));
      else if (dialled.kind === 'http/1.1') call.delegate(http1());
      else call.fail(dialled.err);
    });
  }

  close(): void {
    this.#closed = true;
    for (const s of this.#sessions.splice(0)) {
      clearTimeout(s.idleTimer);
      s.session.destroy();
    }
  }

  #start(slot: Session, call: Http2Call): void {
    slot.active += 1;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    call.start(slot.session, () => {
      slot.active -= 1;
      if (slot.active === 0 && !this.#closed) this.#closeWhenIdle(slot);
    });
  }

  /** Closes `slot` once it has carried no stream for keepAliveMs. */
  #closeWhenIdle(slot: Session): void {
    slot.idleTimer = setTimeout(() => {
      // Its 'close' comes only once the socket has closed; a stream started in between
      // would fail (ERR_HTTP2_GOAWAY_SESSION).
      slot.usable = false;
      slot.session.close();
    }, this.#options.keepAliveMs);
    slot.idleTimer.unref();
  }

  /** One dial at a time: requests arriving meanwhile wait for its outcome. */
  #dial(): Promise<Dialled> {
    this.#dialling ??= this.#openSession().finally(() => {
      this.#dialling = undefined;
    });
    return this.#dialling;
  }

  #openSession(): Promise<Dialled> {
    const o = this.#options;
    return new Promise<Dialled>((resolve) => {
      const socket: TLSSocket =
        o.connect !== undefined
          ? o.connect({ ...o.tls, ALPNProtocols: ['h2', 'http/1.1'] })
          : connectTls({ host: o.host, port: o.port, ...o.tls, ALPNProtocols: ['h2', 'http/1.1'] });
      socket.setNoDelay(true);
      // Covers the handshake and the wait for the server's first SETTINGS frame.
      socket.setTimeout(o.connectTimeoutMs, () =>
        socket.destroy(upstreamError('UPSTREAM_TIMEOUT', 'connecting to the cluster timed out')),
      );
      socket.once('error', (err: UpstreamError) => resolve({ kind: 'failed', err }));
      socket.once('secureConnect', () => {
        socket.removeAllListeners('error');
        if (socket.alpnProtocol !== 'h2') {
          socket.setTimeout(0);
          socket.destroy();
          this.#http1Until = this.#now() + (o.recheckMs ?? 300_000);
          resolve({ kind: 'http/1.1' });
          return;
        }
        this.#adopt(socket, resolve);
      });
    });
  }

  /** Runs HTTP/2 on `socket`; the dial succeeds once the server's SETTINGS have arrived. */
  #adopt(socket: TLSSocket, resolve: (dialled: Dialled) => void): void {
    const session = connectHttp2(`https://${this.#authority}`, {
      createConnection: () => socket,
      settings: { enablePush: false },
    });
    const slot: Session = { session, active: 0, usable: true, idleTimer: undefined };
    let failure: UpstreamError | undefined;
    // The server's stream limit comes in its first SETTINGS frame; until then a default shows,
    // and streams beyond the server's real limit would be refused (REFUSED_STREAM). So the
    // connection is offered only once that frame has arrived.
    session.once('remoteSettings', () => {
      socket.setTimeout(0);
      // Nobody will use a connection that was dialled for a pool closed meanwhile.
      if (this.#closed) {
        session.destroy();
        return;
      }
      this.#sessions.push(slot);
      // Its first streams start right after; if all their requests were aborted during the
      // dial, it still closes.
      this.#closeWhenIdle(slot);
      resolve({ kind: 'h2', session: slot });
    });
    const retire = () => {
      slot.usable = false;
      const i = this.#sessions.indexOf(slot);
      if (i !== -1) this.#sessions.splice(i, 1);
    };
    session.on('goaway', retire);
    // Errors reach each open stream as well; the session's own is only recorded here.
    session.on('error', (err: UpstreamError) => {
      failure ??= err;
      retire();
    });
    session.on('close', () => {
      retire();
      clearTimeout(slot.idleTimer);
      // Without effect once the dial succeeded; before that, the dial failed.
      resolve({
        kind: 'failed',
        err: failure ?? upstreamError('UPSTREAM_CLOSED', 'the cluster closed the connection'),
      });
    });
  }
}

function limitOf(session: ClientHttp2Session): number {
  const remote = session.remoteSettings?.maxConcurrentStreams;
  return remote === undefined || remote <= 0 ? DEFAULT_STREAM_LIMIT : Math.min(remote, 10_000);
}

/** One request on an HTTP/2 stream, or on the HTTP/1.1 path it was handed to. */
class Http2Call implements UpstreamCall {
  aborted = false;
  #done = false;
  #stream: ClientHttp2Stream | undefined;
  /** Body bytes that arrived before the head; `undefined` once the head is delivered. */
  #beforeHead: Buffer[] | undefined = [];
  #delegate: UpstreamCall | undefined;
  readonly #request: UpstreamRequest;
  readonly #sink: UpstreamSink;
  /** The pool's `host:port`, for a request without a Host header. */
  readonly #authority: string;

  constructor(request: UpstreamRequest, sink: UpstreamSink, authority: string) {
    this.#request = request;
    this.#sink = sink;
    this.#authority = authority;
  }

  start(session: ClientHttp2Session, onClosed: () => void): void {
    const r = this.#request;
    const headers: Record<string, string | readonly string[]> = {
      ':method': r.method,
      ':path': r.path,
      // The Host the HTTP/1.1 path would send, so that both name the server alike.
      ':authority': typeof r.headers.host === 'string' ? r.headers.host : this.#authority,
      ':scheme': 'https',
    };
    for (const name in r.headers) if (!NOT_ON_HTTP2.has(name)) headers[name] = r.headers[name]!;
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(headers as never, { endStream: true });
    } catch (err) {
      onClosed();
      this.fail(err as UpstreamError);
      return;
    }
    this.#stream = stream;
    if (r.idleTimeoutMs > 0) {
      stream.setTimeout(r.idleTimeoutMs, () =>
        this.#cancel(upstreamError('UPSTREAM_TIMEOUT', 'the cluster did not answer in time')),
      );
    }
    stream.on('response', (h: IncomingHttpHeaders) => this.#onResponse(h));
    stream.on('data', (chunk: Buffer) => {
      if (this.#done) return;
      // node:http2 emits 'response' on a later tick than the DATA read with it: body bytes
      // can come first, and written before the head they would make the client's answer a
      // bare 200. They wait for the head.
      if (this.#beforeHead !== undefined) this.#beforeHead.push(chunk);
      else if (!this.#sink.onData(chunk)) stream.pause();
    });
    stream.on('end', () => {
      // Only if the body ended before the deferred head: let the head go first.
      if (this.#beforeHead !== undefined) queueMicrotask(() => this.#ended(stream, session));
      else this.#ended(stream, session);
    });
    stream.on('error', (err: UpstreamError) => this.fail(streamError(err)));
    stream.on('close', () => {
      onClosed();
      // Reset by the server (RST_STREAM) or its connection went away mid-answer.
      this.fail(upstreamError('UPSTREAM_CLOSED', 'the cluster closed the stream'));
    });
  }

  /** Continue the request on HTTP/1.1 (the server has no `h2`). */
  delegate(call: UpstreamCall): void {
    this.#delegate = call;
  }

  fail(err: UpstreamError): void {
    if (this.#done || this.aborted) return;
    this.#done = true;
    try {
      this.#sink.onError(err);
    } catch {
      // Never throw into a stream event.
    }
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.#done = true;
    this.#delegate?.abort();
    if (this.#stream !== undefined && !this.#stream.closed) {
      this.#stream.close(constants.NGHTTP2_CANCEL);
    }
  }

  resume(): void {
    if (this.#delegate !== undefined) this.#delegate.resume();
    else this.#stream?.resume();
  }

  #onResponse(h: IncomingHttpHeaders): void {
    if (this.#done) return;
    const status = Number(h[':status']);
    const headers: Record<string, string | string[]> = {};
    for (const name in h) {
      const value = h[name];
      if (name.startsWith(':') || value === undefined) continue;
      headers[name] = value;
    }
    try {
      this.#sink.onHead(status, headers);
    } catch (err) {
      this.#cancel(err as UpstreamError);
      return;
    }
    const early = this.#beforeHead ?? [];
    this.#beforeHead = undefined;
    for (const chunk of early) {
      if (this.#done) return;
      if (!this.#sink.onData(chunk)) this.#stream?.pause();
    }
  }

  #ended(stream: ClientHttp2Stream, session: ClientHttp2Session): void {
    if (this.#beforeHead !== undefined) {
      this.fail(upstreamError('UPSTREAM_CLOSED', 'the cluster ended a stream without an answer'));
    } else if (stream.destroyed && (session.destroyed || session.closed)) {
      // node:http2 also ends the readable side of a stream it destroys without an error when
      // its connection drops (or close()): that answer was cut short, not complete. A stream
      // that ended normally may be destroyed by now too (both sides done), so what tells the
      // two apart is whether the connection is gone.
      this.fail(upstreamError('UPSTREAM_CLOSED', 'the connection to the cluster closed'));
    } else this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    try {
      this.#sink.onEnd();
    } catch {
      // As in fail().
    }
  }

  #cancel(err: UpstreamError): void {
    this.fail(err);
    if (this.#stream !== undefined && !this.#stream.closed) {
      this.#stream.close(constants.NGHTTP2_CANCEL);
    }
  }
}

function streamError(err: UpstreamError): UpstreamError {
  return err.code?.startsWith('ERR_HTTP2')
    ? upstreamError('UPSTREAM_CLOSED', err.message, err)
    : err;
}
