/**
 * Real loopback servers and a recording sink for the Http1Upstream tests: an HTTPS server for
 * well-formed answers, a raw TLS server for answers Node's own server would never write, and a
 * TCP server that accepts and never speaks TLS (for the connect timeout).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { UpstreamRequest, UpstreamSink } from '../../../../../src/domain/cluster-upstream.js';
import { makeTempDir } from '../../../../support/temp-dir.js';
import { createTestCa } from '../../../../support/test-ca.js';
import { waitFor } from '../../../../support/wait-for.js';

export const MiB = 1024 * 1024;

export interface TestServer {
  readonly port: number;
  /** TLS connections accepted so far (TCP connections for `startSilentTcpServer`). */
  connections(): number;
  /** Connections still open on the server's side. */
  openSockets(): number;
  close(): Promise<void>;
}

export interface ServerCert {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Listens on a random loopback port, counting and tracking connections for `TestServer`. */
export async function listen(
  server: Server,
  countOn: 'secureConnection' | 'connection',
  host = '127.0.0.1',
) {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    // A test that kills a connection must not crash the run with the other side's reset.
    s.on('error', () => undefined);
  });
  server.on(countOn, () => {
    accepted++;
  });
  // A client that fails verification aborts the handshake; that is what such a test wants.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    connections: () => accepted,
    openSockets: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } satisfies TestServer;
}

export async function startHttpsServer(
  cert: ServerCert,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  configure: (server: ReturnType<typeof createHttpsServer>) => void = () => undefined,
): Promise<TestServer> {
  const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, handler);
  configure(server);
  return listen(server, 'secureConnection');
}

/** A TLS server whose connections the test drives byte by byte. */
export async function startRawTlsServer(
  cert: ServerCert,
  onSocket: (socket: TLSSocket) => void,
): Promise<TestServer> {
  const server = createTlsServer({ cert: cert.certPem, key: cert.keyPem }, (socket) => {
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  return listen(server, 'secureConnection');
}

/** Accepts TCP connections and never answers the TLS handshake. */
export async function startSilentTcpServer(): Promise<TestServer> {
  return listen(createNetServer(), 'connection');
}

/** Calls `onRequest` with each complete request head (up to the blank line) on `socket`. */
export function onRequestHeads(socket: TLSSocket, onRequest: (head: string) => void): void {
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
      const head = pending.slice(0, end);
      pending = pending.slice(end + 4);
      onRequest(head);
    }
  });
}

type SinkEvent = 'head' | 'data' | 'end' | 'error';

/** Records what the upstream delivers, in order. */
export class RecordingSink implements UpstreamSink {
  readonly events: SinkEvent[] = [];
  readonly chunks: Buffer[] = [];
  status: number | undefined;
  headers: Record<string, string | string[]> | undefined;
  error: (Error & { code?: string }) | undefined;
  /** What `onData` answers; returning false asks the upstream to pause. */
  dataResult: (chunk: Buffer) => boolean = () => true;

  onHead(status: number, headers: Record<string, string | string[]>): void {
    this.events.push('head');
    this.status = status;
    this.headers = headers;
  }

  onData(chunk: Buffer): boolean {
    this.events.push('data');
    this.chunks.push(Buffer.from(chunk));
    return this.dataResult(chunk);
  }

  onEnd(): void {
    this.events.push('end');
  }

  onError(err: Error & { code?: string }): void {
    this.events.push('error');
    this.error = err;
  }

  get settled(): boolean {
    return this.events.includes('end') || this.events.includes('error');
  }

  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.body.toString('utf8');
  }

  /** Waits for onEnd or onError and checks that nothing came after it. */
  async settle(timeoutMs = 5_000): Promise<this> {
    await waitFor('the upstream call to settle', () => (this.settled ? true : undefined), {
      timeoutMs,
      intervalMs: 5,
    });
    const last = this.events.findIndex((e) => e === 'end' || e === 'error');
    if (last !== this.events.length - 1) {
      throw new Error(`callbacks after the call settled: ${this.events.join(', ')}`);
    }
    return this;
  }
}

/** `size` deterministic bytes that are not a short repeating pattern. */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A byte stream of `data` in `chunkSize` pieces, counting how often it was paused. */
export function bodyStream(
  data: Buffer,
  chunkSize: number,
): { stream: Readable; pauses: () => number } {
  let at = 0;
  let pauses = 0;
  const stream = new Readable({
    read() {
      if (at >= data.length) {
        this.push(null);
        return;
      }
      this.push(data.subarray(at, at + chunkSize));
      at += chunkSize;
    },
  });
  stream.on('pause', () => {
    pauses++;
  });
  return { stream, pauses: () => pauses };
}

/** Reads a request body on the server side. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A server certificate for 127.0.0.1 from a fresh CA that no pool under test trusts. */
export async function foreignServerCert(tag: string): Promise<ServerCert> {
  const dir = await makeTempDir(`${tag}-foreign-ca`);
  try {
    const ca = await createTestCa(dir.path, 'foreign');
    const issued = await ca.issueServerCert('foreign-server', { ips: ['127.0.0.1'] });
    return { certPem: issued.certPem, keyPem: await readFile(issued.keyPath, 'utf8') };
  } finally {
    await dir.remove();
  }
}

/** Pool options for a loopback test server whose certificate `caPem` signed. */
export function loopbackPoolOptions<T extends object = object>(
  port: number,
  caPem: string,
  overrides: Partial<T> = {},
) {
  return {
    host: '127.0.0.1',
    port,
    tls: { ca: caPem },
    connectTimeoutMs: 5_000,
    keepAliveMs: 5_000,
    ...overrides,
  };
}

/** A plain GET with a 5 s idle deadline. */
export function plainRequest(port: number, extra: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    method: 'GET',
    path: '/api/v1/pods',
    headers: { host: `127.0.0.1:${port}` },
    idleTimeoutMs: 5_000,
    ...extra,
  };
}

/** A watch: long-lived, no idle deadline. */
export function watchRequest(port: number, extra: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    method: 'GET',
    path: '/api/v1/pods?watch=1',
    headers: { host: `127.0.0.1:${port}` },
    idleTimeoutMs: 0,
    longLived: true,
    ...extra,
  };
}
