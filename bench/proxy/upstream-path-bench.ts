/**
 * Which upstream path should the proxy use for plain requests? Compares, over HTTPS on both
 * legs, a bare pass-through built on http-proxy, on node:https with a keep-alive agent, and on
 * an undici Pool, against the upstream reached directly. The servers run in a child process so
 * the load generator does not steal their event loop.
 *
 *   node .build/<dir>/bench/proxy/upstream-path-bench.js [--seconds 5]
 */
import { fork } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import httpProxy from 'http-proxy';
import { Pool } from 'undici';
import { testTlsMaterial } from '../../tests/unit/datasources/support/fake-api-server.js';

const BODY = JSON.stringify({ kind: 'ConfigMap', data: { blob: 'x'.repeat(900) } });

interface Ports {
  caPem: string;
  direct: number;
  httpProxy: number;
  nodeHttps: number;
  undici: number;
}

async function listen(
  options: ServerOptions,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
) {
  const server = createServer({ ...options, keepAliveTimeout: 60_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function serve(): Promise<void> {
  const tls = await testTlsMaterial();
  const opts = { cert: tls.certPem, key: tls.keyPem };
  const direct = await listen(opts, (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(BODY),
    });
    res.end(BODY);
  });
  const target = `https://127.0.0.1:${direct}`;
  const agent = new Agent({ keepAlive: true, ca: tls.caPem, maxSockets: 128 });
  const proxy = httpProxy.createProxyServer({ target, agent, secure: true });
  proxy.on('error', (_e, _req, res) => (res as ServerResponse).destroy());
  const viaHttpProxy = await listen(opts, (req, res) => proxy.web(req, res));
  const viaNode = await listen(opts, (req, res) => {
    const up = httpsRequest(
      {
        host: '127.0.0.1',
        port: direct,
        path: req.url,
        method: req.method,
        agent,
        headers: {
          host: `127.0.0.1:${direct}`,
          authorization: 'Bearer x',
          'impersonate-user': 'u-1',
        },
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  const pool = new Pool(target, { connect: { ca: tls.caPem }, connections: 128, pipelining: 1 });
  const viaUndici = await listen(opts, (req, res) => {
    pool
      .stream(
        {
          path: req.url ?? '/',
          method: 'GET',
          headers: {
            host: `127.0.0.1:${direct}`,
            authorization: 'Bearer x',
            'impersonate-user': 'u-1',
          },
        },
        ({ statusCode, headers }) => {
          res.writeHead(statusCode, headers as Record<string, string>);
          return res;
        },
      )
      .catch(() => res.destroy());
  });
  const ports: Ports = {
    caPem: tls.caPem,
    direct,
    httpProxy: viaHttpProxy,
    nodeHttps: viaNode,
    undici: viaUndici,
  };
  process.send?.(ports);
}

async function load(port: number, ca: string, connections: number, seconds: number) {
  const pool = new Pool(`https://127.0.0.1:${port}`, {
    connect: { ca },
    connections,
    pipelining: 1,
  });
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const t = process.hrtime.bigint();
      const res = await pool.request({
        path: '/api/v1/namespaces/default/configmaps/x',
        method: 'GET',
      });
      await res.body.text();
      latencies.push(Number(process.hrtime.bigint() - t) / 1000);
    }
  };
  // Warm up the keep-alive connections on both legs first.
  for (let i = 0; i < 200; i += 1) {
    const r = await pool.request({ path: '/warm', method: 'GET' });
    await r.body.text();
  }
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: Math.round(latencies.length / seconds), p50: pick(0.5), p99: pick(0.99) };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: 'inherit' });
  const ports = await new Promise<Ports>((resolve) =>
    child.once('message', (m) => resolve(m as Ports)),
  );
  const { caPem } = ports;
  const rows: string[] = [
    '| path | conns | req/s | p50 µs | p99 µs | added p50 µs |',
    '|---|---|---|---|---|---|',
  ];
  for (const connections of [1, 16]) {
    const base = await load(ports.direct, caPem, connections, seconds);
    rows.push(
      `| direct | ${connections} | ${base.rps} | ${base.p50.toFixed(0)} | ${base.p99.toFixed(0)} | – |`,
    );
    for (const name of ['httpProxy', 'nodeHttps', 'undici'] as const) {
      const r = await load(ports[name], caPem, connections, seconds);
      rows.push(
        `| ${name} | ${connections} | ${r.rps} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${(r.p50 - base.p50).toFixed(0)} |`,
      );
    }
  }
  console.log(rows.join('\n'));
  child.kill();
}

if (process.argv.includes('--serve')) await serve();
else await main();
