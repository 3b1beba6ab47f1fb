/**
 * Real loopback HTTP/2 servers for the Http2Upstream and UpstreamRouter tests: `node:http2`
 * secure servers that count sessions and streams, and a TLS server that negotiates `h2` and
 * then never speaks HTTP/2.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createSecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { UpstreamCall, UpstreamSink } from '../../../../../src/domain/cluster-upstream.js';
import { listen, type ServerCert, type TestServer } from './upstream-fixtures.js';

export interface Http2TestServer extends TestServer {
  /** HTTP/2 sessions accepted so far. */
  sessions(): number;
  /** The server's side of every HTTP/2 session still open, oldest first. */
  openSessions(): ServerHttp2Session[];
  /** HTTP/2 streams opened so far. */
  streams(): number;
  /** HTTP/2 streams still open. */
  openStreams(): number;
  /** The most streams that were ever open at once on one session. */
  peakStreamsPerSession(): number;
  /** HTTP/1.1 requests (only with `http1`). */
  http1Requests(): number;
  /** TCP connections accepted so far, handshake finished or not. */
  tcpConnections(): number;
  /**
   * Destroys every connection's socket: the client sees the connection drop with no frame
   * sent. (A server session's destroy() first ends its streams cleanly, as far as it can.)
   */
  dropConnections(): void;
}

/** One HTTP/2 request as the server saw it. */
export type StreamHandler = (
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  rawHeaders: string[],
) => void;

export interface Http2ServerOptions {
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS. */
  readonly maxConcurrentStreams?: number;
  /**
   * Also serve HTTP/1.1 (`allowHTTP1`) with this handler. HTTP/2 streams still go to the
   * stream handler only.
   */
  readonly http1?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Listen on this loopback address (default 127.0.0.1). */
  readonly host?: '127.0.0.1' | '::1';
}

export async function startHttp2Server(
  cert: ServerCert,
  onStream: StreamHandler,
  options: Http2ServerOptions = {},
): Promise<Http2TestServer> {
  const server = createSecureServer({
    cert: cert.certPem,
    key: cert.keyPem,
    allowHTTP1: options.http1 !== undefined,
    settings:
      options.maxConcurrentStreams === undefined
        ? {}
        : { maxConcurrentStreams: options.maxConcurrentStreams },
  });
  const open = new Set<ServerHttp2Session>();
  let sessions = 0;
  let streams = 0;
  let openStreams = 0;
  let peak = 0;
  let http1Requests = 0;
  let tcpConnections = 0;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    tcpConnections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('session', (session) => {
    sessions++;
    open.add(session);
    let onThisSession = 0;
    session.on('close', () => open.delete(session));
    // A test that kills a session must not crash the run with the other side's reset.
    session.on('error', () => undefined);
    session.on('stream', (stream) => {
      onThisSession++;
      peak = Math.max(peak, onThisSession);
      stream.on('close', () => {
        onThisSession--;
      });
    });
  });
  const onServerStream = (
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    _flags: number,
    rawHeaders: string[],
  ) => {
    streams++;
    openStreams++;
    stream.on('close', () => {
      openStreams--;
    });
    // A stream destroyed with an error (a test's reset) must not crash the run.
    stream.on('error', () => undefined);
    onStream(stream, headers, rawHeaders);
  };
  // node:http2 passes the raw header list as a fourth argument its type does not declare.
  server.on('stream', onServerStream as (s: ServerHttp2Stream, h: IncomingHttpHeaders) => void);
  const http1 = options.http1;
  if (http1 !== undefined) {
    // A 'request' listener makes node:http2 also build compatibility objects for HTTP/2
    // streams; those are left alone here, the stream handler answers them.
    server.on('request', (req, res) => {
      if (req.httpVersionMajor === 2) return;
      http1Requests++;
      // With allowHTTP1, a request that arrived over HTTP/1.1 gets node:http's objects.
      http1(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    });
  }
  const base = await listen(server, 'secureConnection', options.host);
  return {
    ...base,
    sessions: () => sessions,
    openSessions: () => [...open],
    streams: () => streams,
    openStreams: () => openStreams,
    peakStreamsPerSession: () => peak,
    http1Requests: () => http1Requests,
    tcpConnections: () => tcpConnections,
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const session of open) session.destroy();
      await base.close();
    },
  };
}

/**
 * A TLS server that negotiates `h2` and then reads and ignores everything: it never sends the
 * SETTINGS frame an HTTP/2 server must open with.
 */
export async function startMuteH2Server(cert: ServerCert): Promise<TestServer> {
  const server = createTlsServer(
    { cert: cert.certPem, key: cert.keyPem, ALPNProtocols: ['h2'] },
    (socket) => {
      socket.on('error', () => undefined);
      socket.resume();
    },
  );
  return listen(server, 'secureConnection');
}

/**
 * An http1 callback for requests that must not fall back: it records the call and fails the
 * sink with `UNEXPECTED_HTTP1`, so the test sees it in the sink as well.
 */
export function unexpectedHttp1(sink: UpstreamSink): {
  readonly http1: () => UpstreamCall;
  calls(): number;
} {
  let calls = 0;
  return {
    http1() {
      calls++;
      queueMicrotask(() =>
        sink.onError(Object.assign(new Error('sent to HTTP/1.1'), { code: 'UNEXPECTED_HTTP1' })),
      );
      return { abort() {}, resume() {} };
    },
    calls: () => calls,
  };
}
