/**
 * The whole of Paddock as `paddock serve` composes it (`composeApp`: embedded store, RBAC
 * push-down, controllers, alerting, logging, apps with the real Helm binary), serving HTTPS
 * on the host's end of a network namespace sandbox, in front of one kubesim cluster `edge`
 * inside the namespace that Paddock cannot dial: it is imported the agent way and reached only
 * through its `paddock agent`. Nothing in the composition is told that the cluster is special.
 */
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { helmBinary } from '../../../../scripts/helm-binary.js';
import { type App, composeApp } from '../../../../src/cli/compose-app.js';
import { loadConfig } from '../../../../src/config/index.js';
import { createPaddockServer, type PaddockServer } from '../../../../src/server/index.js';
import { freePort } from '../../../support/free-port.js';
import { fetchText } from '../../../support/http-client.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { createTestCa } from '../../../support/test-ca.js';
import { waitFor } from '../../../support/wait-for.js';
import { createTestLogger, type LogLine } from '../../../unit/datasources/support/test-logger.js';
import { type AgentSandbox, startAgentSandbox } from './agent-sandbox.js';

export const EDGE = 'edge';
const ADMIN_PASSWORD = 'agent-tools-admin-password';

export interface AppUser {
  readonly name: string;
  readonly userId: string;
  readonly token: string;
}

export interface PaddockAppWithAgent {
  readonly dir: string;
  readonly url: string;
  readonly caPem: string;
  readonly app: App;
  readonly nat: AgentSandbox;
  readonly admin: AppUser;
  readonly helm: string;
  readonly logs: LogLine[];
  graphql(
    user: AppUser,
    query: string,
    variables?: Record<string, unknown>,
    // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  ): Promise<{ data: any; errors?: { message: string }[] }>;
  /** Data of a query that must succeed. */
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  ok(user: AppUser, query: string, variables?: Record<string, unknown>): Promise<any>;
  addUser(name: string): Promise<AppUser>;
  stop(): Promise<void>;
}

export async function startPaddockAppWithAgent(): Promise<PaddockAppWithAgent> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    return await start(cleanups, cleanup);
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function start(
  cleanups: (() => Promise<void> | void)[],
  cleanup: () => Promise<void>,
): Promise<PaddockAppWithAgent> {
  const tmp = await makeTempDir('agent-tools');
  cleanups.push(() => tmp.remove());
  const dir = tmp.path;
  const nat = await startAgentSandbox(dir, [EDGE], cleanups);

  // A serving certificate for the address the agent dials (the host's end of the pair).
  const ca = await createTestCa(dir, 'paddock');
  const cert = await ca.issueServerCert('paddock', {
    dns: ['localhost'],
    ips: [nat.sandbox.hostAddress, '127.0.0.1'],
  });
  const helm = await helmBinary();
  const port = await freePort();
  const { config } = loadConfig({
    argv: [],
    env: {
      PADDOCK_DATA_DIR: join(dir, 'data'),
      PADDOCK_PORT: String(port),
      PADDOCK_BIND: nat.sandbox.hostAddress,
      PADDOCK_TLS_CERT_FILE: cert.certPath,
      PADDOCK_TLS_KEY_FILE: cert.keyPath,
      PADDOCK_TLS_CA_FILE: ca.caPath,
      PADDOCK_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
      PADDOCK_HELM_BINARY: helm,
      PADDOCK_LOG_LEVEL: 'silent',
    },
    readFile: () => {
      throw new Error('no config file');
    },
  });
  const logger = createTestLogger();
  const app = await composeApp(config, logger, { retryMs: 1_000 });
  cleanups.push(() => app.close());
  const server: PaddockServer = createPaddockServer({
    routes: app.routes,
    logger,
    metrics: app.metrics,
    tls: app.tls,
  });
  await server.listen(port, nat.sandbox.hostAddress);
  cleanups.push(() => server.shutdown(500));
  const url = `https://${nat.sandbox.hostAddress}:${port}`;
  const caPem = ca.caPem;
  await app.apps.helmChecked;

  await nat.importCluster(app.clusters, EDGE, 'Edge', url);
  await nat.startAgent(EDGE);
  await waitFor(
    'edge active through its agent',
    async () => ((await app.clusters.get(EDGE))?.health.state === 'active' ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 100 },
  ).catch((err: Error) => {
    const outputs = (nat.agents[EDGE] ?? []).map((a) => a.output()).join('\n---\n');
    throw new Error(`${err.message}\nagent output:\n${outputs}`);
  });

  const login = await app.identity.login.login({
    provider: 'local',
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  const admin: AppUser = { name: 'admin', userId: login.userId, token: login.token };
  const graphql: PaddockAppWithAgent['graphql'] = async (user, query, variables) => {
    const res = await fetchText(`${url}/graphql`, {
      method: 'POST',
      ca: caPem,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return JSON.parse(res.body);
  };
  const ok: PaddockAppWithAgent['ok'] = async (user, query, variables) => {
    const r = await graphql(user, query, variables);
    if (r.errors?.length)
      throw new Error(`GraphQL errors for ${user.name}: ${JSON.stringify(r.errors)}`);
    return r.data;
  };
  // The RBAC push-down binds the admin downstream, through the tunnel.
  await waitFor(
    'the admin bound in edge',
    async () => {
      const r = await nat.simKubectl(EDGE, ['get', 'clusterrolebindings', '-o', 'name']);
      return r.stdout.includes('paddock') ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );

  return {
    dir,
    url,
    caPem,
    app,
    nat,
    admin,
    helm,
    logs: logger.lines,
    graphql,
    ok,
    async addUser(name) {
      const user = await app.identity.users.create({
        username: name,
        provider: 'local',
        groups: [],
      });
      const key = await app.identity.apiKeys.create({ userId: user.id, kind: 'api-key' });
      return { name, userId: user.id, token: key.token };
    },
    stop: cleanup,
  };
}

/** The certificate and key of a throwaway HTTPS server on the host (receivers, chart repos). */
export async function hostServerTls(
  dir: string,
  name: string,
): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const ca = await createTestCa(dir, name);
  const cert = await ca.issueServerCert(name, { dns: ['localhost'], ips: ['127.0.0.1'] });
  return { caPem: ca.caPem, certPem: cert.certPem, keyPem: await readFile(cert.keyPath, 'utf8') };
}
