import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../domain/index.js';
import { PaddockError } from '../errors/index.js';
import type { HttpMetrics } from './http-metrics.js';
import type { HttpRoute, RequestContext } from './http-route.js';
import { requestIdOf } from './request-id.js';
import { Router } from './router.js';
import { sendError } from './send-json.js';
import type { ServingTls } from './tls/serving-tls.js';

export interface PaddockServerOptions {
  readonly routes: readonly HttpRoute[];
  readonly logger: Logger;
  /**
   * Where the one access line per request goes (default `logger`). Its fields are fixed and
   * hold no credential (the path without its query), so `paddock serve` passes a logger that
   * skips the redaction pass, a sizeable share of a proxied request's logging cost.
   */
  readonly accessLog?: Logger;
  readonly metrics: HttpMetrics;
  /** Serve HTTPS with this certificate; without it the server speaks plain HTTP. */
  readonly tls?: ServingTls;
  /** A connection that has not finished its TLS handshake by then is closed. Default 10 s. */
  readonly tlsHandshakeTimeoutMs?: number;
  /**
   * Longest time to receive a request's head, and its whole body (default 20 s and 120 s), so
   * slowloris-style clients cannot hold connections. Neither limits what follows a complete
   * request: watches, `logs -f` and upgraded exec/port-forward streams run as long as needed.
   */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export interface ShutdownOptions {
  /**
   * Keep accepting (every answer carrying `Connection: close`) this long before the listener
   * closes, so load balancers that have not yet seen `/readyz` fail still get answers.
   * Counted within the grace period; default 0.
   */
  readonly drainMs?: number;
  /** Ends long-lived streams (watches, tunnels, WebSockets) cleanly once the listener closes. */
  readonly endStreams?: () => void;
}

export interface PaddockServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Drains, stops accepting, ends long-lived streams, lets in-flight requests finish until
   * `graceMs` after the call, then cuts whatever is left.
   */
  shutdown(graceMs: number, options?: ShutdownOptions): Promise<void>;
}

/** The one listener: request ids, access logs, metrics, routing, upgrades and draining. */
export function createPaddockServer(options: PaddockServerOptions): PaddockServer {
  const router = new Router(options.routes);
  const { logger, metrics } = options;
  const accessLog = options.accessLog ?? logger;
  const upgraded = new Set<Duplex>();
  const open = new Set<ServerResponse>();
  let draining = false;
  let drained: (() => void) | undefined;
  const settled = () => {
    if (open.size === 0 && upgraded.size === 0) drained?.();
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    const route = router.match(req.url ?? '/');
    const ctx = new LazyContext(requestId, route?.name ?? 'unmatched', logger);
    open.add(res);
    res.setHeader('x-request-id', requestId);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      open.delete(res);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(ctx.route, req.method ?? 'GET', res.statusCode, seconds);
      accessLog.info(
        {
          reqId: requestId,
          method: req.method,
          path: pathOf(req.url),
          route: ctx.route,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          aborted: !res.writableFinished,
        },
        'request',
      );
      settled();
    });
    void dispatch(route, req, res, ctx);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const requestId = requestIdOf(req);
    const route = router.match(req.url ?? '/');
    const ctx = new LazyContext(requestId, route?.name ?? 'unmatched', logger);
    socket.on('error', (err) => ctx.log.debug({ err }, 'upgraded socket error'));
    if (route?.upgrade === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (draining) {
      // A tunnel opened now would be cut moments later: the client should open it elsewhere.
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    upgraded.add(socket);
    socket.once('close', () => {
      upgraded.delete(socket);
      settled();
    });
    Promise.resolve(route.upgrade(req, socket, head, ctx)).catch((err: unknown) => {
      ctx.log.error({ err }, 'upgrade handler failed');
      socket.destroy();
    });
  };

  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const limits = {
    headersTimeout,
    requestTimeout: Math.max(
      headersTimeout,
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ),
    // Node enforces both on this interval (default 30 s), so it must be well below them.
    connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(headersTimeout / 4))),
  };
  const server = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.certPem,
          key: options.tls.keyPem,
          handshakeTimeout: options.tlsHandshakeTimeoutMs ?? DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
          ...limits,
        },
        onRequest,
      )
    : createHttpServer(limits, onRequest);
  server.on('upgrade', onUpgrade);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A failed or timed-out TLS handshake reaches here too (https forwards tlsClientError):
    // no HTTP can be spoken on such a socket, so it is closed, not answered.
    if (err.code === 'ECONNRESET' || !socket.writable || isTlsHandshakeError(err)) {
      socket.destroy();
      return;
    }
    socket.end(
      `HTTP/1.1 ${clientErrorStatus(err)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  });
  server.on('tlsClientError', (err) => logger.debug({ err }, 'TLS handshake failed'));

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async shutdown(graceMs, shutdownOptions = {}) {
      const deadline = Date.now() + graceMs;
      draining = true;
      // Answers already under way close their connection too, so no client keeps reusing it.
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
      const drainMs = Math.min(shutdownOptions.drainMs ?? 0, graceMs);
      if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs).unref());
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      shutdownOptions.endStreams?.();
      if (open.size > 0 || upgraded.size > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
        });
      }
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      await closed;
    },
  };
}

async function dispatch(
  route: HttpRoute | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
): Promise<void> {
  try {
    if (route === undefined) {
      throw new PaddockError('NOT_FOUND', `no route for ${pathOf(req.url)}`);
    }
    if (route.methods !== undefined && !route.methods.includes(req.method ?? 'GET')) {
      res.setHeader('allow', route.methods.join(', '));
      throw new PaddockError(
        'METHOD_NOT_ALLOWED',
        `method ${req.method} not allowed on ${route.path}`,
      );
    }
    await route.handle(req, res, ctx);
  } catch (err) {
    sendError(res, err, ctx);
  }
}

/** Most requests log nothing but their access line: the child logger is made on first use. */
class LazyContext implements RequestContext {
  #log: Logger | undefined;
  readonly #parent: Logger;

  constructor(
    readonly requestId: string,
    readonly route: string,
    parent: Logger,
  ) {
    this.#parent = parent;
  }

  get log(): Logger {
    this.#log ??= this.#parent.child({ reqId: this.requestId });
    return this.#log;
  }
}

function isTlsHandshakeError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_');
}

function clientErrorStatus(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return '431 Request Header Fields Too Large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return '408 Request Timeout';
    default:
      return '400 Bad Request';
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}
