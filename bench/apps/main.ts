/**
 * bench/apps: one `helm install` of the sample `hello` chart (Deployment, Service, ConfigMap,
 * a pre-install hook Job), through Paddock (the `installApp` mutation: chart from a catalog,
 * schema check, a derived credential, the real Helm CLI against Paddock's proxy, the operation
 * polled until it ends) against the same `helm install` run directly against kubesim with the
 * cluster admin's kubeconfig. Both wait for readiness (`--wait --wait-for-jobs`), and once more
 * without waiting, which shows the bare overhead. Rounds alternate so load hits both alike.
 *
 *   node dist/bench/apps/main.js        # BENCH_ROUNDS=6
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { stringify } from 'yaml';
import { startChartRepoServer } from '../../scripts/chart-repo-server.js';
import { helmBinary } from '../../scripts/helm-binary.js';
import { indexRepository, makeSampleChart } from '../../scripts/sample-charts.js';
import { composeApp } from '../../src/cli/compose-app.js';
import { loadConfig } from '../../src/config/index.js';
import { createPaddockServer } from '../../src/server/index.js';
import { startKubesimProcess } from '../graphql/kubesim-process.js';
import { fmt, loadAverage, printTable } from '../support/measure.js';
import { quietLogger } from '../support/quiet-logger.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const PASSWORD = 'bench-admin-password';

function run(file: string, args: readonly string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { env, timeout: 300_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr}`)) : resolve(),
    ),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'paddock-bench-apps-'));
  const helm = await helmBinary();
  const sim = await startKubesimProcess(1, 'demo', join(dir, 'kubesim'));
  const cluster = sim.clusters[0]!;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const { config } = loadConfig({
    argv: [],
    env: {
      PADDOCK_DATA_DIR: join(dir, 'data'),
      PADDOCK_PORT: String(port),
      PADDOCK_BIND: '127.0.0.1',
      PADDOCK_BOOTSTRAP_PASSWORD: PASSWORD,
      PADDOCK_HELM_BINARY: helm,
      PADDOCK_LOG_LEVEL: 'warn',
    },
    readFile: () => {
      throw new Error('no config file');
    },
  });
  const app = await composeApp(config, quietLogger);
  const server = createPaddockServer({
    routes: app.routes,
    logger: quietLogger,
    metrics: app.metrics,
    tls: app.tls,
  });
  await server.listen(port, '127.0.0.1');
  const url = `https://127.0.0.1:${port}`;
  const tls = app.tls!;
  const dispatcher = new Agent({ connect: { ca: tls.caPem } });
  let repo: Awaited<ReturnType<typeof startChartRepoServer>> | undefined;
  try {
    const kubeconfig = join(dir, 'direct.kubeconfig');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'bench',
        clusters: [
          {
            name: 'bench',
            cluster: { server: cluster.url, 'certificate-authority': cluster.caFile },
          },
        ],
        users: [{ name: 'admin', user: { token: cluster.adminToken } }],
        contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'admin' } }],
      }),
    );
    const helmEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      HELM_CACHE_HOME: join(dir, 'helm-cache'),
      HELM_CONFIG_HOME: join(dir, 'helm-config'),
      HELM_DATA_HOME: join(dir, 'helm-data'),
    };
    await run(
      '/usr/bin/kubectl',
      ['--kubeconfig', kubeconfig, 'create', 'namespace', 'bench'],
      helmEnv,
    );
    await app.clusters.importFromKubeconfig({
      localFiles: 'read',
      kubeconfig: await (await import('node:fs/promises')).readFile(kubeconfig, 'utf8'),
      id: 'bench',
      name: 'bench',
    });
    const charts = join(dir, 'charts');
    await (await import('node:fs/promises')).mkdir(charts, { recursive: true });
    const chart = await makeSampleChart(helm, charts, { name: 'hello', version: '1.0.0' });
    await indexRepository(helm, charts);
    repo = await startChartRepoServer({
      dir: charts,
      certPem: tls.certPem,
      keyPem: tls.keyPem,
      prefix: '/charts',
    });
    const login = await app.identity.login.login({
      provider: 'local',
      username: 'admin',
      password: PASSWORD,
    });
    const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await request(`${url}/graphql`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.body.json()) as {
        data?: Record<string, { id?: string; state?: string; error?: string }>;
        errors?: unknown[];
      };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };
    class TlsWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { ca: tls.caPem });
      }
    }
    const ws = createClient({
      url: `${url.replace(/^https/, 'wss')}/graphql`,
      webSocketImpl: TlsWebSocket,
      connectionParams: { authorization: `Bearer ${login.token}` },
      retryAttempts: 0,
    });
    const catalog = await graphql(
      'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id refresh { state message } } }',
      {
        i: { name: 'bench', scope: 'GLOBAL', url: repo.url, caPem: tls.caPem },
      },
    );
    const catalogId = catalog.addCatalog!.id!;

    const direct = async (name: string, wait: boolean) => {
      const t0 = performance.now();
      await run(
        helm,
        [
          'install',
          name,
          chart,
          '--namespace',
          'bench',
          ...(wait ? ['--wait', '--wait-for-jobs'] : []),
          '--timeout',
          '300s',
          '--kubeconfig',
          kubeconfig,
        ],
        helmEnv,
      );
      return performance.now() - t0;
    };
    const viaPaddock = async (name: string, wait: boolean) => {
      const t0 = performance.now();
      const started = await graphql(
        'mutation($i: InstallAppInput!) { installApp(input: $i) { id } }',
        {
          i: {
            clusterId: 'bench',
            namespace: 'bench',
            name,
            catalogId,
            chart: 'hello',
            version: '1.0.0',
            wait,
          },
        },
      );
      const id = started.installApp!.id!;
      // Follow the operation as a client would: its subscription, not polling.
      const outcome = await new Promise<{ state: string; error: string | null }>(
        (resolve, reject) => {
          const stop = ws.subscribe<{
            appOperationUpdates: { state: string; error: string | null };
          }>(
            {
              query: 'subscription($id: ID!) { appOperationUpdates(id: $id) { state error } }',
              variables: { id },
            },
            {
              next: (event) => {
                const update = event.data?.appOperationUpdates;
                if (update !== undefined && update.state !== 'RUNNING') {
                  stop();
                  resolve(update);
                }
              },
              error: reject,
              complete: () => undefined,
            },
          );
        },
      );
      if (outcome.state !== 'SUCCEEDED')
        throw new Error(`install through Paddock failed: ${outcome.error}`);
      return performance.now() - t0;
    };
    // The same helm install through Paddock's proxy with a kubeconfig token: the proxy hop alone.
    const key = await app.identity.apiKeys.create({ userId: login.userId, kind: 'kubeconfig' });
    await writeFile(join(dir, 'paddock-ca.pem'), tls.caPem ?? '');
    const proxied = join(dir, 'proxied.kubeconfig');
    await writeFile(
      proxied,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'bench',
        clusters: [
          {
            name: 'bench',
            cluster: {
              server: `${url}/k8s/clusters/bench`,
              'certificate-authority': join(dir, 'paddock-ca.pem'),
            },
          },
        ],
        users: [{ name: 'admin', user: { token: key.token } }],
        contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'admin' } }],
      }),
    );
    const throughProxy = async (name: string, wait: boolean) => {
      const t0 = performance.now();
      await run(
        helm,
        [
          'install',
          name,
          chart,
          '--namespace',
          'bench',
          ...(wait ? ['--wait', '--wait-for-jobs'] : []),
          '--timeout',
          '300s',
          '--kubeconfig',
          proxied,
        ],
        { ...helmEnv, HOME: join(dir, 'proxied-home') },
      );
      return performance.now() - t0;
    };
    const uninstall = (name: string) =>
      run(
        helm,
        ['uninstall', name, '--namespace', 'bench', '--wait', '--kubeconfig', kubeconfig],
        helmEnv,
      );

    // The first install through Paddock may wait for the RBAC push-down to bind the admin.
    for (let attempt = 0; ; attempt++) {
      try {
        await viaPaddock('warmup', true);
        break;
      } catch (err) {
        if (attempt > 60) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await uninstall('warmup');
    await direct('warmup', true);
    await uninstall('warmup');

    const rows: string[][] = [];
    for (const wait of [true, false]) {
      const peer: number[] = [];
      const hop: number[] = [];
      const ours: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const tag = `${wait ? 'w' : 'n'}${i}`;
        const names = [`d${tag}`, `h${tag}`, `p${tag}`] as const;
        const runs = [
          async () => peer.push(await direct(names[0], wait)),
          async () => hop.push(await throughProxy(names[1], wait)),
          async () => ours.push(await viaPaddock(names[2], wait)),
        ];
        // Rotate the order each round, so load from other processes hits every side alike.
        for (let k = 0; k < runs.length; k++) await runs[(i + k) % runs.length]!();
        for (const n of names) await uninstall(n);
      }
      rows.push([
        wait ? 'install --wait --wait-for-jobs' : 'install (no wait)',
        `${fmt(median(peer))} ms`,
        `${fmt(median(hop))} ms`,
        `${fmt(median(ours))} ms`,
        `${fmt(median(ours) / median(peer), 2)}x`,
      ]);
    }
    await ws.dispose();
    console.log(
      `helm ${helm}; ${rounds} rounds each, medians; load average ${fmt(loadAverage(), 2)}`,
    );
    printTable(
      [
        'what',
        'helm → kubesim',
        'helm → Paddock proxy',
        'Paddock installApp',
        'installApp / direct (target ≤ 1.2x)',
      ],
      rows,
    );
  } finally {
    await repo?.close();
    await server.shutdown(500);
    await app.close();
    await dispatcher.close();
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
