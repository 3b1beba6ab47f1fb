/**
 * Paddock as `paddock serve` composes it (`composeApp`, the real listener), in this process so
 * tests can reach the identity layer too: either one replica on the embedded store, or two
 * replicas (A and B) sharing one real Redis with the same encryption key and API-key pepper.
 * Both front a kubesim cluster `one`, imported from a kubeconfig by the first replica.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { type App, composeApp } from '../../../../src/cli/compose-app.js';
import { loadConfig } from '../../../../src/config/index.js';
import { createPaddockServer, type PaddockServer } from '../../../../src/server/index.js';
import { fetchText } from '../../../support/http-client.js';
import { RedisServer } from '../../../support/redis-server.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { createTestLogger, type LogLine } from '../../../unit/datasources/support/test-logger.js';
import { kubectl, writeKubeconfig } from '../../authproxy/support/kubectl.js';

export const ADMIN_PASSWORD = 'test-bootstrap-password';
export const USER_PASSWORD = 'a long enough password 42';

export interface Replica {
  readonly name: string;
  readonly app: App;
  readonly url: string;
  readonly caPem: string;
  /** The CA as a file, for kubeconfigs. */
  readonly caFile: string;
  readonly logs: LogLine[];
}

export interface TestUser {
  readonly userId: string;
  readonly username: string;
  /** A session from a password login on replica A. */
  readonly session: string;
}

export interface PaddockReplicas {
  readonly a: Replica;
  /** The replica the connections are opened on: A itself with the embedded store. */
  readonly b: Replica;
  readonly sim: Kubesim;
  readonly admin: TestUser;
  /** A local user who may watch and list cluster `one` (and sees it in Paddock). */
  newUser(username: string): Promise<TestUser>;
  login(replica: Replica, username: string, password: string): Promise<string>;
  graphql(
    replica: Replica,
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }>;
  /** A kubeconfig for cluster `one` through `replica`'s proxy with `token`. */
  kubeconfig(replica: Replica, name: string, token: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPaddockReplicas(mode: 'embedded' | 'redis'): Promise<PaddockReplicas> {
  const tmp = await makeTempDir('replicas');
  const dir = tmp.path;
  const stops: (() => Promise<void>)[] = [() => tmp.remove()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const sim = await startKubesim({
      clusters: ['one'],
      adminPort: false,
      seed: 'demo',
      stateDir: join(dir, 'kubesim'),
      http2: true,
    });
    stops.push(() => sim.stop());
    const one = sim.cluster('one').describe();
    const adminKubeconfig = await writeKubeconfig(
      dir,
      'sim-admin',
      one.url,
      one.caFile,
      one.adminToken,
    );
    const source = join(dir, 'import.kubeconfig');
    await writeFile(
      source,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'one',
        clusters: [
          { name: 'one', cluster: { server: one.url, 'certificate-authority': one.caFile } },
        ],
        users: [{ name: 'admin', user: { token: one.adminToken } }],
        contexts: [{ name: 'one', context: { cluster: 'one', user: 'admin' } }],
      }),
    );

    let redisUrl: string | undefined;
    if (mode === 'redis') {
      const redis = await RedisServer.start();
      stops.push(() => redis.stop());
      redisUrl = redis.url;
    }
    // Replicas sharing a Redis must share these; one embedded replica may generate them.
    const sharedKeys = {
      PADDOCK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PADDOCK_API_KEY_PEPPER: randomBytes(32).toString('base64'),
    };
    const startReplica = async (name: string, importClusters: boolean): Promise<Replica> => {
      const env: Record<string, string> = {
        PADDOCK_DATA_DIR: join(dir, `data-${name}`),
        PADDOCK_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
        KUBECONFIG: source,
        ...sharedKeys,
        ...(importClusters ? { PADDOCK_IMPORT_KUBECONFIG: 'true' } : {}),
        ...(redisUrl === undefined ? {} : { PADDOCK_REDIS_URL: redisUrl }),
      };
      const { config } = loadConfig({
        argv: [],
        env,
        readFile: (p) => readFileSync(p, 'utf8'),
      });
      const logger = createTestLogger();
      const app = await composeApp(config, logger);
      const server: PaddockServer = createPaddockServer({
        routes: app.routes,
        logger,
        metrics: app.metrics,
        tls: app.tls,
      });
      const address: AddressInfo = await server.listen(0, '127.0.0.1');
      stops.push(async () => {
        await server.shutdown(200);
        await app.close();
      });
      const caPem = app.tls?.caPem;
      if (caPem === undefined) throw new Error('expected a generated CA');
      const caFile = join(dir, `ca-${name}.pem`);
      await writeFile(caFile, caPem);
      return {
        name,
        app,
        url: `https://127.0.0.1:${address.port}`,
        caPem,
        caFile,
        logs: logger.lines,
      };
    };
    const a = await startReplica('a', true);
    const b = mode === 'redis' ? await startReplica('b', false) : a;

    const login = async (replica: Replica, username: string, password: string) => {
      const res = await fetchText(`${replica.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        ca: replica.caPem,
      });
      if (res.status !== 200) throw new Error(`login of ${username}: ${res.status} ${res.body}`);
      return JSON.parse(res.body).token as string;
    };
    const graphql: PaddockReplicas['graphql'] = async (replica, token, query, variables = {}) => {
      const res = await fetchText(`${replica.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        ca: replica.caPem,
      });
      return JSON.parse(res.body);
    };
    const adminSession = await login(a, 'admin', ADMIN_PASSWORD);
    const adminUser = await a.app.identity.users.findByUsername('admin');
    if (adminUser === undefined) throw new Error('no admin user');

    return {
      a,
      b,
      sim,
      admin: { userId: adminUser.id, username: 'admin', session: adminSession },
      login,
      graphql,
      async newUser(username) {
        const user = await a.app.identity.local.createUser({ username, password: USER_PASSWORD });
        // Visible in Paddock (subscriptions see cluster `one`) ...
        const bound = await graphql(
          a,
          adminSession,
          'mutation($p: ID!) { addClusterMember(clusterId: "one", principalId: $p, roleTemplateId: "cluster-member") { id } }',
          { p: `local://${user.id}` },
        );
        if (bound.errors) throw new Error(`binding ${username}: ${JSON.stringify(bound.errors)}`);
        // ... and allowed to read and watch in the cluster whatever the push-down's pace.
        const view = await kubectl(adminKubeconfig, [
          'create',
          'clusterrolebinding',
          `test-view-${username}`,
          '--clusterrole=view',
          `--user=${user.id}`,
        ]);
        if (view.code !== 0) throw new Error(`kubesim binding failed: ${view.stderr}`);
        return { userId: user.id, username, session: await login(a, username, USER_PASSWORD) };
      },
      kubeconfig: (replica, name, token) =>
        writeKubeconfig(
          dir,
          `${name}-${replica.name}`,
          `${replica.url}/k8s/clusters/one`,
          replica.caFile,
          token,
        ),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
