// The HTTPS listener of one cluster. "down" closes the listener and every open socket so
// clients see connection refused; "up" listens again on the same port.

import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { handleUpgrade } from '../pods/upgrade.js';
import { handleRequest } from './pipeline.js';
import type { SimCluster } from './sim-cluster.js';

export interface TlsOptions {
  certPem: string;
  keyPem: string;
}

export class ClusterServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    readonly cluster: SimCluster,
    private readonly tls: TlsOptions,
    private readonly host = '127.0.0.1',
  ) {}

  get url(): string {
    return `https://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  async listen(port = this.port): Promise<void> {
    const server = createServer({ cert: this.tls.certPem, key: this.tls.keyPem }, (req, res) => {
      void handleRequest(this.cluster, req, res);
    });
    server.keepAliveTimeout = 60_000;
    server.headersTimeout = 65_000;
    server.requestTimeout = 0;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s) => s.setNoDelay(true));
    server.on('upgrade', (req, socket, head) => {
      void handleUpgrade(this.cluster, req, socket as Socket, head);
    });
    server.on('clientError', (_err, socket) => socket.destroy());
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
