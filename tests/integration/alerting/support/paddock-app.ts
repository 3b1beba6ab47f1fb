/**
 * Paddock as `paddock serve` composes it (embedded store, real identity, access, cluster
 * registry, controllers, alerting), served on a loopback port over plain HTTP, in front of a
 * kubesim with one cluster `one` (demo seed), imported by installing the import manifest, so
 * Paddock works there as paddock-manager and paddock-impersonator. Extra users get
 * real API keys; every GraphQL response body is kept so a test can check no secret came back.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { type App, composeApp } from '../../../../src/cli/compose-app.js';
import { loadConfig } from '../../../../src/config/index.js';
import { createLogger, createPaddockServer } from '../../../../src/server/index.js';
import type { PaddockServer } from '../../../../src/server/paddock-server.js';
import { fetchText } from '../../../support/http-client.js';
import { makeTempDir } from '../../../support/temp-dir.js';

export const BOOTSTRAP_PASSWORD = 'alerting-test-password';

export interface GraphQLAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  readonly data: any;
  readonly errors: { message: string; extensions?: Record<string, unknown> }[] | undefined;
}

export interface PaddockApp {
  readonly dir: string;
  readonly url: string;
  readonly app: App;
  readonly sim: Kubesim;
  readonly adminToken: string;
  readonly bodies: string[];
  /** A local user with a real API key; `principalId` is `local://<userId>`. */
  user(name: string): Promise<{ userId: string; principalId: string; token: string }>;
  graphql(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLAnswer>;
  /** Like `graphql`, failing the test on any error. */
  must(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLAnswer['data']>;
  stop(): Promise<void>;
}

export async function startPaddockApp(
  name: string,
  env: Record<string, string> = {},
): Promise<PaddockApp> {
  const tmp = await makeTempDir(name);
  const sim = await startKubesim({
    clusters: ['one'],
    seed: 'demo',
    adminPort: false,
    stateDir: join(tmp.path, 'kubesim'),
  });
  const { config } = loadConfig({
    argv: [],
    env: {
      PADDOCK_DATA_DIR: join(tmp.path, 'data'),
      PADDOCK_INSECURE_HTTP: 'true',
      PADDOCK_LOG_LEVEL: 'warn',
      PADDOCK_BOOTSTRAP_PASSWORD: BOOTSTRAP_PASSWORD,
      ...env,
    },
    readFile: (p) => {
      throw new Error(`no config file (${p})`);
    },
  });
  const logger = createLogger({ level: 'error' });
  const app = await composeApp(config, logger);
  const server: PaddockServer = createPaddockServer({
    routes: app.routes,
    logger,
    metrics: app.metrics,
    tls: undefined,
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  const one = sim.cluster('one').describe();
  await app.clusters.importFromKubeconfig({
    localFiles: 'refuse',
    kubeconfig: stringify({
      'current-context': 'one',
      clusters: [
        {
          name: 'one',
          cluster: {
            server: one.url,
            'certificate-authority-data': Buffer.from(one.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'admin', user: { token: one.adminToken } }],
      contexts: [{ name: 'one', context: { cluster: 'one', user: 'admin' } }],
    }),
    id: 'one',
  });
  const admin = await app.identity.login.login({
    provider: 'local',
    username: 'admin',
    password: BOOTSTRAP_PASSWORD,
  });
  const bodies: string[] = [];
  const graphql = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const res = await fetchText(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    bodies.push(res.body);
    const json = JSON.parse(res.body);
    return { status: res.status, data: json.data, errors: json.errors };
  };
  return {
    dir: tmp.path,
    url,
    app,
    sim,
    adminToken: admin.token,
    bodies,
    async user(username) {
      const user = await app.identity.users.create({ username, provider: 'local', groups: [] });
      const key = await app.identity.apiKeys.create({ userId: user.id, kind: 'api-key' });
      return { userId: user.id, principalId: `local://${user.id}`, token: key.token };
    },
    graphql,
    async must(token, query, variables) {
      const r = await graphql(token, query, variables);
      if (r.errors !== undefined) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data;
    },
    async stop() {
      await server.shutdown(200);
      await app.close();
      await sim.stop();
      await tmp.remove();
    },
  };
}
