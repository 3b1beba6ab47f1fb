// bench/tunnel: what the agent tunnel itself costs, away from the rest of Paddock. This
// process is Paddock's side (the real `/v1/connect` route, tunnel hub and cluster transport);
// an HTTPS server answering 1 KB, a plain TCP relay and one `paddock agent` per framing each run
// in a process of their own. Every leg sends sequential GETs over one kept-alive TLS connection
// through the transport's lean HTTP/1.1 upstream, as the proxy does:
//   - direct: TLS to the server;
//   - relay: the same through a process that only copies bytes (the peer: one more hop alone);
//   - agent stream / agent messages: through an agent, framing `paddock-tunnel.v2` / `.v1`.
// It prints p50/p99, this process's CPU per request and the hop process's, and the ratios of
// what each agent leg adds over direct to what the relay adds (ADR 0022).
// Run: npm run bench -- tunnel   (BENCH_ROUNDS, default 3; BENCH_TUNNEL_REQUESTS per round, 4000)
import { type ChildProcess, fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTlsMaterial } from '../../kubesim/tls/certificates.js';
import { createClusterTransport } from '../../src/datasources/cluster-transport.js';
import { createAgentConnectRoute } from '../../src/datasources/tunnel/agent-gateway.js';
import { TunnelHub } from '../../src/datasources/tunnel/tunnel-hub.js';
import {
  formatAgentToken,
  type TunnelFraming,
} from '../../src/datasources/tunnel/tunnel-protocol.js';
import type { UpstreamSink } from '../../src/domain/cluster-upstream.js';
import { makeTempDir } from '../../tests/support/temp-dir.js';
import { cpuSecondsOfTree } from '../proxy/process-cpu.js';
import { fmt, loadAverage, printTable, quantile } from '../support/measure.js';
import { quietLogger } from '../support/quiet-logger.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const perRound = Number(process.env.BENCH_TUNNEL_REQUESTS ?? 4000);
const SECRET = 'b'.repeat(43);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const mainJs = here('../../src/main.js');

/** CPU µs of a process (and its children) so far; 0 without one. */
const cpuUsOf = (pid: number | undefined) => (pid === undefined ? 0 : cpuSecondsOfTree(pid) * 1e6);

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within 30 s`)), 30_000);
    child.on('message', (m: { type?: string }) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      resolve(m as T);
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before ${type}`)));
  });
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const tmp = await makeTempDir('bench-tunnel');
  try {
    const tls = await generateTlsMaterial();
    const files = {
      cert: join(tmp.path, 'tls.crt'),
      key: join(tmp.path, 'tls.key'),
      ca: join(tmp.path, 'ca.crt'),
      token: join(tmp.path, 'account-token'),
    };
    await writeFile(files.cert, tls.certPem);
    await writeFile(files.key, tls.keyPem, { mode: 0o600 });
    await writeFile(files.ca, tls.caPem);
    await writeFile(files.token, 'unused', { mode: 0o600 });
    const start = (file: string, args: string[]) => {
      const child = fork(here(file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      return child;
    };
    const server = start('./https-child.js', [files.cert, files.key]);
    const { port } = await nextMessage<{ port: number }>(server, 'https-ready');
    const relay = start('../proxy/relay-child.js', ['127.0.0.1', String(port)]);
    const relayPort = (await nextMessage<{ port: number }>(relay, 'relay-ready')).port;

    // Paddock's side: the route agents dial, on an HTTPS listener of its own.
    const hub = new TunnelHub();
    const route = createAgentConnectRoute({
      hub,
      logger: quietLogger,
      registrar: {
        verifyAgent: async (_id, presented) => (presented === SECRET ? 'digest' : undefined),
        registerAgent: async () => undefined,
      },
    });
    const gateway = createServer({ cert: tls.certPem, key: tls.keyPem });
    gateway.on('upgrade', (req, socket, head) => {
      socket.on('error', () => undefined);
      void route.upgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const gatewayPort = (gateway.address() as { port: number }).port;
    const agents = new Map<TunnelFraming, ChildProcess>();
    for (const framing of ['stream', 'messages'] as const) {
      const tokenFile = join(tmp.path, `agent-${framing}`);
      await writeFile(tokenFile, formatAgentToken(`c-${framing}`, SECRET), { mode: 0o600 });
      const agent = fork(
        mainJs,
        [
          'agent',
          ...['--server', `https://127.0.0.1:${gatewayPort}`, '--server-ca-file', files.ca],
          ...['--token-file', tokenFile, '--tunnel-framing', framing],
          ...['--api-server', `https://127.0.0.1:${port}`, '--api-ca-file', files.ca],
          ...['--impersonator-token-file', files.token, '--manager-token-file', files.token],
          ...['--log-level', 'warn'],
        ],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      children.push(agent);
      agents.set(framing, agent);
    }
    const deadline = Date.now() + 30_000;
    while (!(hub.connected('c-stream') && hub.connected('c-messages'))) {
      if (Date.now() > deadline) throw new Error('the agents did not connect within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const transport = (url: string, clusterId?: string) =>
      createClusterTransport(
        { endpoint: new URL(url), caPem: tls.caPem, dangerouslySkipTlsVerify: false },
        {},
        clusterId === undefined ? undefined : hub.dialer(clusterId),
      );
    const legs = [
      { name: 'direct', t: transport(`https://127.0.0.1:${port}`), hop: undefined },
      { name: 'relay', t: transport(`https://127.0.0.1:${relayPort}`), hop: relay.pid },
      {
        name: 'agent stream (v2)',
        t: transport(`https://127.0.0.1:${port}`, 'c-stream'),
        hop: agents.get('stream')?.pid,
      },
      {
        name: 'agent messages (v1)',
        t: transport(`https://127.0.0.1:${port}`, 'c-messages'),
        hop: agents.get('messages')?.pid,
      },
    ];
    const get = (leg: (typeof legs)[number]) =>
      new Promise<void>((resolve, reject) => {
        const sink: UpstreamSink = {
          onHead: () => undefined,
          onData: () => true,
          onEnd: () => resolve(),
          onError: reject,
        };
        leg.t.upstream.send(
          { method: 'GET', path: '/', headers: { host: 'bench' }, idleTimeoutMs: 10_000 },
          sink,
        );
      });
    const results = new Map<string, { p50: number; p99: number; cpu: number; hopCpu: number }[]>();
    console.log(
      `tunnel: ${rounds} rounds of ${perRound} sequential GETs per leg, order rotated each round; ` +
        `load average ${fmt(loadAverage(), 2)} on start`,
    );
    for (let round = 0; round < rounds; round++) {
      const order = legs.map((_, i) => legs[(i + round) % legs.length]!);
      for (const leg of order) {
        for (let i = 0; i < 300; i++) await get(leg); // warm-up: connection, JIT
        const samples: number[] = [];
        const cpuBefore = process.cpuUsage();
        const hopBefore = cpuUsOf(leg.hop);
        for (let i = 0; i < perRound; i++) {
          const at = process.hrtime.bigint();
          await get(leg);
          samples.push(Number(process.hrtime.bigint() - at) / 1_000);
        }
        const cpu = process.cpuUsage(cpuBefore);
        const hopCpu = leg.hop === undefined ? 0 : cpuUsOf(leg.hop) - hopBefore;
        samples.sort((a, b) => a - b);
        const list = results.get(leg.name) ?? [];
        list.push({
          p50: quantile(samples, 0.5),
          p99: quantile(samples, 0.99),
          cpu: (cpu.user + cpu.system) / perRound,
          hopCpu: hopCpu / perRound,
        });
        results.set(leg.name, list);
      }
    }
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 0;
    };
    const summary = new Map(
      [...results].map(([name, runs]) => [
        name,
        {
          p50: median(runs.map((r) => r.p50)),
          p99: median(runs.map((r) => r.p99)),
          cpu: median(runs.map((r) => r.cpu)),
          hopCpu: median(runs.map((r) => r.hopCpu)),
          perRound: runs.map((r) => fmt(r.p50)).join(' / '),
        },
      ]),
    );
    const direct = summary.get('direct')!;
    printTable(
      [
        'leg',
        'p50 µs',
        'p99 µs',
        'added p50 µs',
        'p50 per round',
        'CPU µs/req here',
        'hop CPU µs/req',
      ],
      [...summary].map(([name, s]) => [
        name,
        fmt(s.p50),
        fmt(s.p99),
        name === 'direct' ? '–' : fmt(s.p50 - direct.p50),
        s.perRound,
        fmt(s.cpu),
        name === 'direct' ? '–' : fmt(s.hopCpu),
      ]),
    );
    const relayAdded = Math.max(1, summary.get('relay')!.p50 - direct.p50);
    console.log('');
    for (const name of ['agent stream (v2)', 'agent messages (v1)']) {
      const added = summary.get(name)!.p50 - direct.p50;
      console.log(
        `${name}: added p50 ${fmt(added)} µs = ${fmt(added / relayAdded, 2)}× what one more ` +
          `process hop adds (relay ${fmt(relayAdded)} µs); beyond that hop: ${fmt(added - relayAdded)} µs`,
      );
    }
    console.log(`load average ${fmt(loadAverage(), 2)} at the end on 2 cores`);
    for (const child of children) child.kill('SIGKILL'); // before the route closes: no reconnect log
    for (const leg of legs) await leg.t.close();
    route.close();
    gateway.close();
  } finally {
    for (const child of children) child.kill();
    await tmp.remove();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
