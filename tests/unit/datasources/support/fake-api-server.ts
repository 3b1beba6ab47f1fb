/**
 * A tiny HTTPS server standing in for a Kubernetes API server in unit tests: it records every
 * request (raw header lines included) and answers from a route table the test controls.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { makeTempDir } from '../../../support/temp-dir.js';
import { createTestCa } from '../../../support/test-ca.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** Header name/value pairs exactly as received (names as sent, repeated lines kept). */
  readonly rawHeaders: readonly [string, string][];
  readonly body: string;
}

export type FakeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void | Promise<void>;

export type FakeUpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface FakeApiServer {
  readonly url: string;
  readonly caPem: string;
  readonly requests: RecordedRequest[];
  /** Routes by `METHOD path` (path without query) or `* path`; the fallback echoes headers. */
  route(key: string, handler: FakeHandler): void;
  onUpgrade(handler: FakeUpgradeHandler): void;
  /** Raw header lines of the last request whose path starts with `prefix`. */
  lastHeaders(prefix?: string): [string, string][];
  close(): Promise<void>;
}

/** A CA and server certificate for 127.0.0.1, made once per test run. */
let material: Promise<{ caPem: string; certPem: string; keyPem: string }> | undefined;

export function testTlsMaterial(): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  material ??= (async () => {
    const dir = await makeTempDir('fake-apiserver');
    const ca = await createTestCa(dir.path, 'fake-apiserver');
    const cert = await ca.issueServerCert('fake-apiserver', {
      dns: ['localhost'],
      ips: ['127.0.0.1', '::1'],
    });
    const keyPem = await readFile(cert.keyPath, 'utf8');
    await dir.remove();
    return { caPem: ca.caPem, certPem: cert.certPem, keyPem };
  })();
  return material;
}

export function pairsOf(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  }
  return pairs;
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const tls = await testTlsMaterial();
  const routes = new Map<string, FakeHandler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let upgrade: FakeUpgradeHandler | undefined;

  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      requests.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        rawHeaders: pairsOf(req.rawHeaders),
        body,
      });
      const handler = routes.get(`${req.method} ${path}`) ?? routes.get(`* ${path}`) ?? echo;
      Promise.resolve(handler(req, res, body)).catch((err: unknown) => {
        res.destroy(err as Error);
      });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      rawHeaders: pairsOf(req.rawHeaders),
      body: '',
    });
    socket.on('error', () => undefined);
    if (upgrade) upgrade(req, socket, head);
    else socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: tls.caPem,
    requests,
    route(key, handler) {
      routes.set(key, handler);
    },
    onUpgrade(handler) {
      upgrade = handler;
    },
    lastHeaders(prefix = '/') {
      const found = [...requests].reverse().find((r) => r.url.startsWith(prefix));
      return found ? [...found.rawHeaders] : [];
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers with the received raw headers as JSON: `{ method, url, headers: [[name, value]] }`. */
export function echo(req: IncomingMessage, res: ServerResponse, body: string): void {
  const text = JSON.stringify({
    method: req.method,
    url: req.url,
    headers: pairsOf(req.rawHeaders),
    body,
  });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Routes that make the fake look like a healthy cluster whose tokens are `imp` and `mgr`. */
export function healthyCluster(
  api: FakeApiServer,
  tokens = { imp: 'imp-token', mgr: 'mgr-token' },
) {
  const bearer = (req: IncomingMessage) =>
    (req.headers.authorization ?? '').replace(/^Bearer /, '');
  api.route('GET /readyz', (req, res) => {
    if (bearer(req) !== tokens.mgr) return json(res, 401, { kind: 'Status', code: 401 });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  api.route('GET /version', (req, res) => {
    if (bearer(req) !== tokens.imp) return json(res, 401, { kind: 'Status', code: 401 });
    json(res, 200, { gitVersion: 'v1.31.0-fake' });
  });
  api.route('GET /api/v1/nodes', (req, res) => {
    if (bearer(req) !== tokens.mgr) return json(res, 401, { kind: 'Status', code: 401 });
    const node = (name: string, ready: string) => ({
      metadata: { name },
      status: { conditions: [{ type: 'Ready', status: ready }] },
    });
    json(res, 200, { kind: 'NodeList', items: [node('a', 'True'), node('b', 'False')] });
  });
}
