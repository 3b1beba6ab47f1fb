/**
 * bench/graphql: (a) a trivial query through Paddock's /graphql against bare graphql-js
 * `execute` on the same schema, both over keep-alive HTTP on loopback; (b) "all pods in N
 * clusters, first page of 100" through Paddock against a sequential `kubectl get pods -A` loop
 * over the N contexts, with kubesim (500 pods per cluster) in a child process.
 *
 *   node dist/bench/graphql/main.js        # BENCH_SIZES=10,100 BENCH_DURATION_MS=3000
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, Pool, request } from 'undici';
import { stringify } from 'yaml';
import { fmt, latency, printTable } from '../support/measure.js';
import { type SimCluster, startKubesimProcess } from './kubesim-process.js';
import { BENCH_TOKEN, BENCH_USER, startBareExecute, startPaddock } from './paddock-graphql.js';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 3000);
const sizes = (process.env.BENCH_SIZES ?? '10,100').split(',').map(Number);
const podsPerCluster = Number(process.env.BENCH_PODS ?? 500);
const KUBECTL = '/usr/bin/kubectl';

const TRIVIAL = JSON.stringify({ query: '{ me { username } }' });
const PODS = JSON.stringify({
  query:
    '{ pods(first: 100) { items { clusterId namespace name phase nodeName } pageInfo { hasNextPage endCursor } clusterErrors { clusterId code } } }',
});

/** Requests per second with `inFlight` concurrent keep-alive requests for `durationMs`. */
async function requestsPerSecond(
  url: string,
  body: string,
  inFlight: number,
  forMs: number,
): Promise<number> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: inFlight, pipelining: 1 });
  const send = async () => {
    const res = await pool.request({
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`bad answer: ${text}`);
  };
  for (let i = 0; i < 50; i++) await send();
  let done = 0;
  const started = performance.now();
  const deadline = started + forMs;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        await send();
        done++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return done / seconds;
}

function run(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, _out, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${stderr}`)) : resolve(),
    ),
  );
}

async function bindBenchUser(clusters: readonly SimCluster[]): Promise<void> {
  for (const c of clusters) {
    const dispatcher = new Agent({ connect: { ca: c.caPem } });
    const res = await request(`${c.url}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`, {
      method: 'POST',
      dispatcher,
      headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'bench-admin' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: BENCH_USER.userId },
        ],
      }),
    });
    await res.body.text();
    await dispatcher.close();
    if (res.statusCode !== 201) throw new Error(`binding in ${c.name} answered ${res.statusCode}`);
  }
}

async function kubeconfigFor(dir: string, clusters: readonly SimCluster[]): Promise<string> {
  const file = join(dir, 'bench.kubeconfig');
  await writeFile(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: clusters.map((c) => ({
        name: c.name,
        cluster: { server: c.url, 'certificate-authority': c.caFile },
      })),
      users: clusters.map((c) => ({ name: c.name, user: { token: c.adminToken } })),
      contexts: clusters.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
      'current-context': clusters[0]?.name,
    }),
  );
  return file;
}

async function trivialBench(): Promise<void> {
  const paddock = await startPaddock([]);
  const bare = await startBareExecute(paddock.schema, paddock.ports);
  try {
    const rows: string[][] = [];
    for (const inFlight of [1, 16]) {
      // Alternating short rounds, so load from other processes hits both sides alike.
      const rounds = 6;
      let peer = 0;
      let ours = 0;
      for (let round = 0; round < rounds; round++) {
        if (round % 2 === 0) {
          peer += await requestsPerSecond(bare.url, TRIVIAL, inFlight, durationMs / rounds);
          ours += await requestsPerSecond(paddock.url, TRIVIAL, inFlight, durationMs / rounds);
        } else {
          ours += await requestsPerSecond(paddock.url, TRIVIAL, inFlight, durationMs / rounds);
          peer += await requestsPerSecond(bare.url, TRIVIAL, inFlight, durationMs / rounds);
        }
      }
      rows.push([
        String(inFlight),
        fmt(peer / rounds),
        fmt(ours / rounds),
        `${fmt(ours / peer, 2)}×`,
      ]);
    }
    console.log('\n(a) `{ me { username } }` over keep-alive HTTP, requests/s');
    printTable(['in flight', 'bare graphql-js execute', 'Paddock /graphql', 'ratio'], rows);
  } finally {
    await bare.stop();
    await paddock.stop();
  }
}

async function podsBench(n: number): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-graphql-'));
  const sim = await startKubesimProcess(n, `scale:5x${podsPerCluster}`, join(dir, 'kubesim'));
  try {
    await bindBenchUser(sim.clusters);
    const paddock = await startPaddock(sim.clusters);
    try {
      const target = new URL(paddock.url);
      const pool = new Pool(target.origin, { connections: 1 });
      let answer = '';
      const query = async () => {
        const res = await pool.request({
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
          body: PODS,
        });
        answer = await res.body.text();
      };
      const graphql = await latency(query, n >= 100 ? 20 : 40, 3);
      const parsed = JSON.parse(answer) as {
        data: { pods: { items: unknown[]; clusterErrors: unknown[] } };
      };
      if (parsed.data.pods.items.length !== 100 || parsed.data.pods.clusterErrors.length !== 0) {
        throw new Error(`unexpected answer: ${answer.slice(0, 300)}`);
      }
      await pool.close();
      const rssMb = process.memoryUsage().rss / 2 ** 20;
      const kubeconfig = await kubeconfigFor(dir, sim.clusters);
      const loop = await latency(
        async () => {
          for (const c of sim.clusters)
            await run(KUBECTL, [
              '--kubeconfig',
              kubeconfig,
              '--context',
              c.name,
              'get',
              'pods',
              '-A',
            ]);
        },
        n >= 100 ? 1 : 3,
        0,
      );
      await paddock.stop();
      return [
        String(n),
        fmt(graphql.p50Ms, 1),
        fmt(graphql.p99Ms, 1),
        fmt(loop.p50Ms),
        `${fmt(loop.p50Ms / graphql.p50Ms, 1)}×`,
        fmt(rssMb),
      ];
    } catch (err) {
      await paddock.stop();
      throw err;
    }
  } finally {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await trivialBench();
  if (!existsSync(KUBECTL))
    throw new Error('kubectl not found at /usr/bin/kubectl: apt-get install -y kubectl');
  const rows: string[][] = [];
  for (const n of sizes) rows.push(await podsBench(n));
  console.log(`\n(b) all pods in N clusters (${podsPerCluster} each), first page of 100`);
  printTable(
    ['N', 'GraphQL p50 ms', 'GraphQL p99 ms', 'kubectl loop ms', 'speed-up', 'Paddock RSS MiB'],
    rows,
  );
}

await main();
