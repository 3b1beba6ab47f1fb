/**
 * `npm run bench -- alerts`: the delay from a node going NotReady to the notification, with
 * many clusters in one kubesim. kubesim and `paddock serve` run in their own processes; the
 * bench holds the webhook receiver. Each cluster gets a notifier (the receiver) and a rule
 * (node NotReady, `for` F seconds, group-wait 0). Clusters are faulted in waves; the delay is
 * from just before the fault call to the firing webhook's arrival. Target: p99 <= F + 2 s.
 *
 * Settings: BENCH_ALERT_CLUSTERS (100), BENCH_ALERT_FOR_SECONDS (5), BENCH_ALERT_WAVE (10
 * clusters faulted at once).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort } from '../proxy/free-port.js';
import { fmt, loadAverage, printTable, quantile } from '../support/measure.js';

const CLUSTERS = Number(process.env.BENCH_ALERT_CLUSTERS ?? 100);
const FOR_SECONDS = Number(process.env.BENCH_ALERT_FOR_SECONDS ?? 5);
const WAVE = Number(process.env.BENCH_ALERT_WAVE ?? 10);
const PASSWORD = 'bench-alerts-password';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface SimState {
  adminUrl: string;
  clusters: { name: string; url: string; caFile: string; adminToken: string }[];
}

const children: ChildProcess[] = [];
const stopAll = async () => {
  for (const c of children.reverse()) {
    if (c.exitCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
};

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-alerts-'));
  try {
    console.log(
      `clusters ${CLUSTERS}, for ${FOR_SECONDS} s, ${WAVE} clusters faulted at once; load ${fmt(loadAverage(), 2)}`,
    );
    // kubesim with every cluster in one process.
    const sim = spawn(
      process.execPath,
      [
        join(root, 'kubesim', 'cli.js'),
        '--clusters',
        String(CLUSTERS),
        '--seed',
        'demo',
        '--state-dir',
        join(dir, 'kubesim'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(sim);
    let simOut = '';
    sim.stdout?.on('data', (d: Buffer) => (simOut += d.toString()));
    await until('kubesim', async () => (/ready/.test(simOut) ? true : undefined), 300_000);
    const state = JSON.parse(
      await (await import('node:fs/promises')).readFile(
        join(dir, 'kubesim', 'kubesim.json'),
        'utf8',
      ),
    ) as SimState;
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: state.clusters.map((c) => ({
          name: c.name,
          cluster: { server: c.url, 'certificate-authority': c.caFile },
        })),
        users: state.clusters.map((c) => ({ name: c.name, user: { token: c.adminToken } })),
        contexts: state.clusters.map((c) => ({
          name: c.name,
          context: { cluster: c.name, user: c.name },
        })),
        'current-context': state.clusters[0]?.name,
      }),
    );

    // The webhook receiver: firing times by cluster.
    const fired = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const at = Date.now();
        res.writeHead(200).end();
        const payload = JSON.parse(body) as { status: string; commonLabels: { cluster?: string } };
        const cluster = payload.commonLabels.cluster ?? '';
        if (payload.status === 'firing' && !fired.has(cluster)) {
          fired.set(cluster, at);
          waiting.get(cluster)?.();
        }
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    // Paddock as `paddock serve`, importing every context.
    const port = await freePort();
    const paddock = spawn(process.execPath, [join(root, 'src', 'main.js'), 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        KUBECONFIG: kubeconfig,
        PADDOCK_IMPORT_KUBECONFIG: 'true',
        PADDOCK_PORT: String(port),
        PADDOCK_BIND: '127.0.0.1',
        PADDOCK_INSECURE_HTTP: 'true',
        PADDOCK_DATA_DIR: join(dir, 'data'),
        PADDOCK_LOG_LEVEL: 'error',
        PADDOCK_BOOTSTRAP_PASSWORD: PASSWORD,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(paddock);
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    await until(
      'paddock',
      async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined),
      600_000,
    );
    console.log(
      `paddock imported ${CLUSTERS} clusters in ${fmt((Date.now() - started) / 1000, 1)} s`,
    );
    const login = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const token = ((await login.json()) as { token: string }).token;
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const r = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const answer = (await r.json()) as {
        data?: Record<string, { id: string }>;
        errors?: unknown;
      };
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      return answer.data ?? {};
    };
    for (const c of state.clusters) {
      const n = await gql(
        `mutation($c: ID!, $u: String!) { createNotifier(clusterId: $c, input: { name: "bench", kind: WEBHOOK, secrets: { url: $u } }) { id } }`,
        { c: c.name, u: hookUrl },
      );
      await gql(
        `mutation($c: ID!, $n: ID!, $f: Int!) { createAlertRule(clusterId: $c, input: { name: "node not ready", condition: { kind: NODE_CONDITION, nodeCondition: NOT_READY }, forSeconds: $f, groupWaitSeconds: 0, groupIntervalSeconds: 1, notifierIds: [$n] }) { id } }`,
        { c: c.name, n: n.createNotifier?.id, f: FOR_SECONDS },
      );
    }
    // Let every cluster's node watch list and settle before the first fault.
    await new Promise((r) => setTimeout(r, 5_000));

    const fault = (cluster: string, ready: boolean) =>
      fetch(`${state.adminUrl}/clusters/${cluster}/nodes/${cluster}-worker-1/fault`, {
        method: 'PUT',
        body: JSON.stringify({ ready }),
      });
    const delays: number[] = [];
    for (let i = 0; i < state.clusters.length; i += WAVE) {
      const wave = state.clusters.slice(i, i + WAVE);
      await Promise.all(
        wave.map(async (c) => {
          const arrived = new Promise<void>((resolve) => waiting.set(c.name, resolve));
          const t0 = Date.now();
          await fault(c.name, false);
          await Promise.race([
            arrived,
            new Promise((r) => setTimeout(r, (FOR_SECONDS + 30) * 1000)),
          ]);
          const at = fired.get(c.name);
          delays.push(at === undefined ? Number.POSITIVE_INFINITY : at - t0);
          await fault(c.name, true);
        }),
      );
    }
    receiver.close();
    delays.sort((a, b) => a - b);
    const lost = delays.filter((d) => !Number.isFinite(d)).length;
    const ok = delays.filter(Number.isFinite);
    const p99 = quantile(delays, 0.99);
    printTable(
      [
        'NotReady -> notification',
        'samples',
        'lost',
        'p50 ms',
        'p99 ms',
        'max ms',
        'p99 - for ms',
        'target',
      ],
      [
        [
          `${CLUSTERS} clusters, for ${FOR_SECONDS} s`,
          String(delays.length),
          String(lost),
          fmt(quantile(ok, 0.5)),
          Number.isFinite(p99) ? fmt(p99) : 'lost',
          Number.isFinite(delays.at(-1) ?? 0) ? fmt(delays.at(-1) ?? 0) : 'lost',
          Number.isFinite(p99) ? fmt(p99 - FOR_SECONDS * 1000) : 'lost',
          p99 <= FOR_SECONDS * 1000 + 2000 ? 'met (<= for + 2 s)' : 'MISSED (> for + 2 s)',
        ],
      ],
    );
    console.log(`load average after the run: ${fmt(loadAverage(), 2)}`);
  } finally {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
  }
}

await main().catch(async (err) => {
  console.error(err);
  await stopAll();
  process.exit(1);
});
