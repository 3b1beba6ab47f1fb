// The HTTPS listener of one cluster. "down" closes the listener and every open socket so
// clients see connection refused; "up" listens again on the same port.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import { handleUpgrade } from '../pods/upgrade.js';
import { handleRequest } from './pipeline.js';
import type { SimCluster } from './sim-cluster.js';

export interface TlsOptions {
  certPem: string;
  keyPem: string;
}

/**
 * Like kube-apiserver, the listener can offer HTTP/2 (ALPN `h2`, at most 1,000 streams per
 * connection) besides HTTP/1.1, which stays in use for clients that ask for it and for
 * upgrades (exec, attach, port-forward).
 */
export interface ListenerOptions {
  readonly http2?: boolean;
}

// kube-apiserver's default for --http2-max-streams-per-connection.
const MAX_STREAMS_PER_CONNECTION = 1000;

export class ClusterServer {
  private server: TlsServer | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    readonly cluster: SimCluster,
    private readonly tls: TlsOptions,
    private readonly host = '127.0.0.1',
    private readonly listener: ListenerOptions = {},
  ) {}

  get url(): string {
    return `https://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  async listen(port = this.port): Promise<void> {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      void handleRequest(this.cluster, req, res);
    };
    const tls = { cert: this.tls.certPem, key: this.tls.keyPem };
    let server: TlsServer;
    if (this.listener.http2) {
      // The compatibility request and response carry what the pipeline reads and writes
      // (method, url, headers, rawHeaders, writeHead, write, flushHeaders, end, 'close').
      server = createSecureServer(
        {
          ...tls,
          allowHTTP1: true,
          settings: { maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION },
          // Node refuses new streams once a connection buffers more than this (default 10 MB);
          // 64 concurrent 1 MB lists would trip it, which kube-apiserver never does.
          maxSessionMemory: 1024,
        },
        ((req: IncomingMessage, res: ServerResponse) => {
          onRequest(withDistinctHeaders(req), res);
        }) as unknown as Parameters<typeof createSecureServer>[1],
      );
    } else {
      const https = createServer(tls, onRequest);
      https.keepAliveTimeout = 60_000;
      https.headersTimeout = 65_000;
      https.requestTimeout = 0;
      server = https;
    }
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s) => s.setNoDelay(true));
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      void handleUpgrade(this.cluster, req, socket, head);
    });
    server.on('clientError', (_err: Error, socket: Socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
    this.server = server;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.cluster.watches.dropAll();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async setDown(down: boolean): Promise<void> {
    if (down && this.listening) await this.close();
    else if (!down && !this.listening) await this.listen(this.port);
  }
}

/**
 * HTTP/2's compatibility request has no `headersDistinct` (every line of a header, in order),
 * which the pipeline reads for impersonation: it is built from `rawHeaders`.
 */
function withDistinctHeaders(req: IncomingMessage): IncomingMessage {
  if (req.headersDistinct !== undefined) return req;
  const distinct: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name.startsWith(':')) continue;
    const lines = distinct[name] ?? [];
    lines.push(raw[i + 1]!);
    distinct[name] = lines;
  }
  Object.defineProperty(req, 'headersDistinct', { value: distinct });
  return req;
}
