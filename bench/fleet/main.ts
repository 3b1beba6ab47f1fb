/**
 * `npm run bench -- fleet`: the fleet index (issue 15) against the ways to get the same answers
 * without it, measured in the same run.
 *
 * Phase "pods": kubesim with BENCH_FLEET_POD_CLUSTERS (100) clusters of BENCH_FLEET_PODS (500)
 * pods (seed `fleet`), Paddock in its own process (`paddock-child.ts`). A user bound to `view`
 * in half the namespaces of every cluster asks "pods not Running, newest first, first 100" and
 * "team=payments sorted by name, first 100"; warm p50/p99 over BENCH_FLEET_SAMPLES (200).
 * Peers: a loop of `kubectl get pods -A` with the same filter over every cluster (as the
 * cluster admin: one list per cluster, the cheapest case for kubectl), and today's live
 * fan-out (index off) paging through everything as the admin to sort it. Then the time from a
 * pod write in kubesim (churn at BENCH_FLEET_CHURN events/s fleet-wide) to a `fleetChanges`
 * subscriber, p50/p99. Paddock's RSS and the time to a full index.
 *
 * Phase "nodes": BENCH_FLEET_NODE_CLUSTERS (1000) clusters of 10 nodes: time to a full index,
 * Paddock's RSS, and the clusters page (100 clusters with health and capacity) p50/p99.
 *
 * BENCH_FLEET_PHASES=pods,nodes picks phases.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { Agent, Pool, request } from 'undici';
import WebSocket from 'ws';
import { stringify } from 'yaml';
import { fmt, latency, loadAverage, printTable, quantile } from '../support/measure.js';
import { rssOf, type SimState, startKubesim, startPaddock } from './processes.js';

const POD_CLUSTERS = Number(process.env.BENCH_FLEET_POD_CLUSTERS ?? 100);
const PODS = Number(process.env.BENCH_FLEET_PODS ?? 500);
const NODE_CLUSTERS = Number(process.env.BENCH_FLEET_NODE_CLUSTERS ?? 1000);
const SAMPLES = Number(process.env.BENCH_FLEET_SAMPLES ?? 200);
const CHURN = Number(process.env.BENCH_FLEET_CHURN ?? 100);
const CHURN_SECONDS = Number(process.env.BENCH_FLEET_CHURN_SECONDS ?? 15);
const PHASES = (process.env.BENCH_FLEET_PHASES ?? 'pods,nodes').split(',');
const KUBECTL = '/usr/bin/kubectl';
const ADMIN = 'bench-admin-token';
const HALF = 'bench-half-token';
const MiB = 1024 * 1024;

const NOT_RUNNING = `{ pods(first: 100, filter: { notPhases: ["Running"] }, orderBy: { field: CREATED, direction: DESC }) {
  items { clusterId namespace name phase createdAt } pageInfo { hasNextPage } clusterErrors { clusterId } } }`;
const BY_LABEL = `{ pods(first: 100, filter: { labelSelector: "team=payments" }, orderBy: { field: NAME }) {
  items { clusterId namespace name } pageInfo { hasNextPage } clusterErrors { clusterId } } }`;
const LIVE_PAGE = `query P($after: String, $filter: KubeFilter) { pods(first: 500, after: $after, filter: $filter) {
  items { clusterId namespace name phase createdAt } pageInfo { hasNextPage endCursor } } }`;
const CLUSTERS_PAGE = `{ clusters(first: 100) { items { id name state health { state nodeCount readyNodeCount kubernetesVersion }
  capacity { capacity { cpuMillis memoryBytes pods } allocatable { cpuMillis } requested { cpuMillis memoryBytes pods } readAt } } } }`;

type Json = Record<string, unknown>;

const perObject = (status: Json) =>
  Number(status.heapUsedBytes) /
  Math.max(
    1,
    Object.values(status.objects as Record<string, number>).reduce((a, b) => a + b, 0),
  );

function graphqlClient(base: string) {
  const pool = new Pool(base, { connections: 4 });
  return {
    async query(token: string, query: string, variables: Json = {}): Promise<Json> {
      const res = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.body.json()) as { data?: Json; errors?: unknown[] };
      if (res.statusCode !== 200 || body.errors)
        throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
      return body.data ?? {};
    },
    close: () => pool.close(),
  };
}

async function post(c: SimState['clusters'][number], dispatcher: Agent, path: string, body: Json) {
  const res = await request(`${c.url}${path}`, {
    method: 'POST',
    dispatcher,
    headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body.text();
  if (res.statusCode !== 201) throw new Error(`${path} in ${c.name}: ${res.statusCode}`);
}

/** u-admin: cluster-admin everywhere; u-half: view in the first half of the namespaces. */
async function bind(state: SimState, halfNamespaces: readonly string[]): Promise<void> {
  const dispatcher = new Agent({ connect: { ca: state.clusters[0]?.caPem }, connections: 8 });
  const ref = (name: string) => ({
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name,
  });
  const user = (name: string) => [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name }];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < state.clusters.length) {
        const c = state.clusters[next++]!;
        await post(c, dispatcher, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
          metadata: { name: 'bench-admin' },
          roleRef: ref('cluster-admin'),
          subjects: user('u-admin'),
        });
        for (const ns of halfNamespaces) {
          await post(
            c,
            dispatcher,
            `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
            {
              metadata: { name: 'bench-half' },
              roleRef: ref('view'),
              subjects: user('u-half'),
            },
          );
        }
      }
    }),
  );
  await dispatcher.close();
}

async function waitStatus(
  base: string,
  ok: (s: Json) => boolean,
  timeoutMs: number,
  gc = false,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  let status: Json = {};
  for (;;) {
    try {
      const res = await request(`${base}/bench/status${gc ? '?gc=1' : ''}`);
      status = (await res.body.json()) as Json;
      if (ok(status)) return status;
    } catch (err) {
      // A kept-alive connection closed under load (ECONNRESET) is asked again, not fatal.
      if ((err as { code?: string }).code !== 'ECONNRESET') throw err;
    }
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function run(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(KUBECTL, args, { maxBuffer: 512 * 1024 * 1024 }, (err, out, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(out),
    ),
  );
}

/** The peer: one kubectl per cluster, one after the other, then merge, sort, cut. */
async function kubectlLoop(kubeconfig: string, state: SimState, args: readonly string[]) {
  const t0 = performance.now();
  const rows: Json[] = [];
  for (const c of state.clusters) {
    const out = await run([
      '--kubeconfig',
      kubeconfig,
      '--context',
      c.name,
      'get',
      'pods',
      '-A',
      ...args,
      '-o',
      'json',
    ]);
    for (const item of (JSON.parse(out) as { items: Json[] }).items)
      rows.push({ cluster: c.name, item });
  }
  return { ms: performance.now() - t0, rows: rows.length };
}

/** Today without the index: page through every matching pod live, then sort and cut. */
async function livePaging(gql: ReturnType<typeof graphqlClient>, filter: Json | null) {
  const t0 = performance.now();
  let after: string | null = null;
  let rows = 0;
  for (;;) {
    const data = (await gql.query(ADMIN, LIVE_PAGE, { after, filter })) as {
      pods: { items: Json[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    rows += data.pods.items.length;
    if (!data.pods.pageInfo.hasNextPage) break;
    after = data.pods.pageInfo.endCursor;
  }
  return { ms: performance.now() - t0, rows };
}

async function subscriptionLatency(
  base: string,
): Promise<{ samples: number; p50: number; p99: number; max: number }> {
  const delays: number[] = [];
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${ADMIN}` },
    retryAttempts: 0,
  });
  const stop = client.subscribe(
    { query: 'subscription { fleetChanges(apiVersion: "v1", kind: "Pod") { type object } }' },
    {
      next: (v) => {
        const at = Date.now();
        const o = (
          v.data as {
            fleetChanges: { object: { metadata: { annotations?: Record<string, string> } } };
          }
        ).fleetChanges.object;
        const stamp = Number(o.metadata.annotations?.['kubesim.io/churn-at']);
        if (Number.isFinite(stamp) && stamp > 0) delays.push(at - stamp);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await new Promise((r) => setTimeout(r, CHURN_SECONDS * 1000));
  stop();
  await client.dispose();
  delays.sort((a, b) => a - b);
  return {
    samples: delays.length,
    p50: quantile(delays, 0.5),
    p99: quantile(delays, 0.99),
    max: delays.at(-1) ?? 0,
  };
}

async function kubeconfigFor(dir: string, state: SimState): Promise<string> {
  const file = join(dir, 'kubeconfig');
  await writeFile(
    file,
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
  return file;
}

async function podsPhase(dir: string): Promise<void> {
  console.log(`\n## pods: ${POD_CLUSTERS} clusters × ${PODS} pods; load ${fmt(loadAverage(), 2)}`);
  const sim = await startKubesim(POD_CLUSTERS, `fleet:10x${PODS}`, join(dir, 'kubesim-pods'));
  try {
    const namespaces = Math.ceil(PODS / 50);
    const half = Array.from(
      { length: Math.ceil(namespaces / 2) },
      (_, i) => `ns-${String(i).padStart(3, '0')}`,
    );
    await bind(sim.state, half);
    const paddock = await startPaddock(join(dir, 'kubesim-pods', 'kubesim.json'));
    try {
      const status = await waitStatus(paddock.url, (s) => s.synced === s.clusters, 900_000);
      const gql = graphqlClient(paddock.url);
      const answer = (await gql.query(HALF, NOT_RUNNING)) as {
        pods: { items: Json[]; clusterErrors: Json[] };
      };
      if (answer.pods.items.length !== 100 || answer.pods.clusterErrors.length > 0)
        throw new Error(`unexpected answer: ${JSON.stringify(answer).slice(0, 300)}`);
      const rows: string[][] = [];
      const kubeconfig = await kubeconfigFor(dir, sim.state);
      const queries = [
        [
          'pods not Running, newest first, first 100',
          NOT_RUNNING,
          ['--field-selector=status.phase!=Running', '--sort-by=.metadata.creationTimestamp'],
          null,
        ],
        [
          'team=payments sorted by name, first 100',
          BY_LABEL,
          ['-l', 'team=payments', '--sort-by=.metadata.name'],
          { labelSelector: 'team=payments' },
        ],
      ] as const;
      // Every index figure first: the live peer pages 50,000 pods through Paddock, and its
      // garbage would otherwise be collected during the next query's index samples.
      const indexed = [];
      for (const [, query] of queries) {
        const ours = await latency(() => gql.query(HALF, query), SAMPLES, 20);
        const asAdmin = await latency(() => gql.query(ADMIN, query), Math.ceil(SAMPLES / 2), 10);
        indexed.push({ ours, asAdmin });
      }
      for (const [i, [name, , kubectlArgs, liveFilter]] of queries.entries()) {
        const { ours, asAdmin } = indexed[i]!;
        const loop = await kubectlLoop(kubeconfig, sim.state, kubectlArgs);
        await request(`${paddock.url}/bench/index`, { method: 'PUT', body: 'false' }).then((r) =>
          r.body.text(),
        );
        const firstPage = await latency(
          () => gql.query(ADMIN, '{ pods(first: 100) { items { name } } }'),
          5,
          1,
        );
        const live = await livePaging(gql, liveFilter);
        await request(`${paddock.url}/bench/index`, { method: 'PUT', body: 'true' }).then((r) =>
          r.body.text(),
        );
        rows.push([
          name,
          `${fmt(ours.p50Ms, 1)} / ${fmt(ours.p99Ms, 1)}`,
          `${fmt(asAdmin.p50Ms, 1)} / ${fmt(asAdmin.p99Ms, 1)}`,
          `${fmt(loop.ms)} (${fmt(loop.rows)} rows)`,
          `${fmt(loop.ms / ours.p50Ms)}×`,
          `${fmt(live.ms)} (${fmt(live.rows)} rows)`,
          `${fmt(live.ms / ours.p50Ms)}×`,
          fmt(firstPage.p50Ms, 1),
        ]);
      }
      printTable(
        [
          'query',
          'index p50 / p99 ms (half user)',
          'index p50 / p99 ms (admin)',
          'kubectl loop ms',
          'vs kubectl',
          'live paging ms (admin)',
          'vs live',
          'live first page, unsorted ms',
        ],
        rows,
      );
      const admin = sim.state.adminUrl;
      await request(`${admin}/churn`, {
        method: 'PUT',
        body: JSON.stringify({ eventsPerSecond: CHURN }),
      }).then((r) => r.body.text());
      const sub = await subscriptionLatency(paddock.url);
      await request(`${admin}/churn`, { method: 'PUT', body: '{"eventsPerSecond":0}' }).then((r) =>
        r.body.text(),
      );
      const mem = await rssOf(paddock.pid);
      const end = await waitStatus(paddock.url, () => true, 10_000, true);
      console.log(
        `\nchange → subscriber at ${CHURN} events/s fleet-wide: ${fmt(sub.samples)} events, p50 ${fmt(sub.p50)} ms, p99 ${fmt(sub.p99)} ms, max ${fmt(sub.max)} ms`,
      );
      console.log(
        `time to full index ${fmt(Number(status.fullIndexMs) / 1000, 1)} s; Paddock RSS ${fmt(mem.rss / MiB)} MiB (peak ${fmt(mem.peak / MiB)}), heap after GC ${fmt(Number(end.heapUsedBytes) / MiB)} MiB (${fmt(perObject(end))} B per indexed object, all of Paddock's heap included); objects ${JSON.stringify(end.objects)}; load ${fmt(loadAverage(), 2)}`,
      );
      await gql.close();
    } finally {
      await paddock.stop();
    }
  } finally {
    await sim.stop();
  }
}

async function nodesPhase(dir: string): Promise<void> {
  console.log(`\n## nodes: ${NODE_CLUSTERS} clusters × 10 nodes; load ${fmt(loadAverage(), 2)}`);
  const sim = await startKubesim(NODE_CLUSTERS, 'scale:10x0', join(dir, 'kubesim-nodes'));
  try {
    await bind(sim.state, []);
    const paddock = await startPaddock(join(dir, 'kubesim-nodes', 'kubesim.json'));
    try {
      const status = await waitStatus(paddock.url, (s) => s.synced === s.clusters, 1_800_000);
      await waitStatus(paddock.url, (s) => s.capacityReady === s.clusters, 600_000);
      const gql = graphqlClient(paddock.url);
      const page = (await gql.query(ADMIN, CLUSTERS_PAGE)) as { clusters: { items: Json[] } };
      if (page.clusters.items.length !== Math.min(100, NODE_CLUSTERS))
        throw new Error('short clusters page');
      const ours = await latency(() => gql.query(ADMIN, CLUSTERS_PAGE), SAMPLES, 20);
      const nodes = await latency(
        () =>
          gql.query(
            ADMIN,
            '{ nodes(first: 100, filter: { phases: ["Ready"] }, orderBy: { field: NAME }) { items { name } } }',
          ),
        Math.ceil(SAMPLES / 2),
        10,
      );
      const mem = await rssOf(paddock.pid);
      const end = await waitStatus(paddock.url, () => true, 10_000, true);
      printTable(
        ['figure', 'measured'],
        [
          [
            'clusters page (100 of them, health + capacity) p50 / p99 ms',
            `${fmt(ours.p50Ms, 1)} / ${fmt(ours.p99Ms, 1)}`,
          ],
          [
            'ready nodes by name, first 100, p50 / p99 ms',
            `${fmt(nodes.p50Ms, 1)} / ${fmt(nodes.p99Ms, 1)}`,
          ],
          ['time to full index', `${fmt(Number(status.fullIndexMs) / 1000, 1)} s`],
          ['Paddock RSS (peak)', `${fmt(mem.rss / MiB)} MiB (${fmt(mem.peak / MiB)} MiB)`],
          [
            'Paddock heap after GC (per indexed object)',
            `${fmt(Number(end.heapUsedBytes) / MiB)} MiB (${fmt(perObject(end))} B)`,
          ],
          ['objects indexed', JSON.stringify(end.objects)],
        ],
      );
      await gql.close();
    } finally {
      await paddock.stop();
    }
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-fleet-'));
  try {
    if (PHASES.includes('pods')) await podsPhase(dir);
    if (PHASES.includes('nodes')) await nodesPhase(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
