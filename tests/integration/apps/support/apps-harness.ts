/**
 * The whole of Paddock in this process, composed by `composeApp` exactly as `paddock serve`
 * does (embedded store, RBAC push-down, controllers, apps with the real Helm binary), serving
 * HTTPS on a loopback port, in front of a kubesim with three clusters imported through the
 * import manifest. Projects and members are made through GraphQL as the admin, so the real
 * push-down binds them downstream.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { helmBinary } from '../../../../scripts/helm-binary.js';
import { type App, composeApp } from '../../../../src/cli/compose-app.js';
import { loadConfig } from '../../../../src/config/index.js';
import { createPaddockServer, type PaddockServer } from '../../../../src/server/index.js';
import { freePort } from '../../../support/free-port.js';
import { fetchText } from '../../../support/http-client.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { waitFor } from '../../../support/wait-for.js';
import { createTestLogger, type LogLine } from '../../../unit/datasources/support/test-logger.js';

export const ADMIN_PASSWORD = 'apps-test-admin-password';

export interface HarnessUser {
  readonly name: string;
  readonly userId: string;
  readonly token: string;
}

export interface GraphQLAnswer {
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  readonly data: any;
  readonly errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface AppsHarness {
  readonly dir: string;
  readonly url: string;
  readonly caPem: string;
  readonly caFile: string;
  readonly sim: Kubesim;
  readonly app: App;
  readonly admin: HarnessUser;
  readonly helm: string;
  /** Every log line, including the proxy's `k8s audit` lines. */
  readonly logs: LogLine[];
  graphql(
    user: HarnessUser,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLAnswer>;
  /** Data of a query that must succeed. */
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  ok(user: HarnessUser, query: string, variables?: Record<string, unknown>): Promise<any>;
  addUser(name: string): Promise<HarnessUser>;
  /** A project in `clusterId` with namespace `namespace`; returns `p-…`. */
  addProject(clusterId: string, name: string, namespace: string): Promise<string>;
  /** Binds a user in a project, waits for the push-down to reach the namespace; the binding id. */
  addMember(
    clusterId: string,
    projectId: string,
    namespace: string,
    user: HarnessUser,
    role: string,
  ): Promise<string>;
  /** Direct admin kubeconfig of a kubesim cluster, bypassing Paddock. */
  adminKubeconfig(clusterId: string): string;
  /** A kubeconfig through Paddock's proxy with a fresh kubeconfig token of `user`. */
  proxyKubeconfig(user: HarnessUser, clusterId: string): Promise<string>;
  stop(): Promise<void>;
}

const CLUSTERS = ['one', 'two', 'three'];

export async function startAppsHarness(
  options: { reconcileIntervalMs?: number; catalogRefreshIntervalMs?: number } = {},
): Promise<AppsHarness> {
  const tmp = await makeTempDir('apps');
  const dir = tmp.path;
  const helm = await helmBinary();
  const sim = await startKubesim({
    clusters: CLUSTERS,
    seed: 'demo',
    adminPort: false,
    stateDir: join(dir, 'kubesim'),
  });
  const port = await freePort();
  const { config } = loadConfig({
    argv: [],
    env: {
      PADDOCK_DATA_DIR: join(dir, 'data'),
      PADDOCK_PORT: String(port),
      PADDOCK_BIND: '127.0.0.1',
      PADDOCK_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
      PADDOCK_HELM_BINARY: helm,
      PADDOCK_LOG_LEVEL: 'silent',
    },
    readFile: () => {
      throw new Error('no config file');
    },
  });
  const logger = createTestLogger();
  const app = await composeApp(config, logger, {
    ...(options.reconcileIntervalMs === undefined
      ? {}
      : { reconcileIntervalMs: options.reconcileIntervalMs }),
    retryMs: 1_000,
    ...(options.catalogRefreshIntervalMs === undefined
      ? {}
      : { catalogRefreshIntervalMs: options.catalogRefreshIntervalMs }),
  });
  const server: PaddockServer = createPaddockServer({
    routes: app.routes,
    logger,
    metrics: app.metrics,
    tls: app.tls,
  });
  await server.listen(port, '127.0.0.1');
  const url = `https://127.0.0.1:${port}`;
  const caPem = app.tls?.caPem ?? '';
  const caFile = join(dir, 'paddock-ca.pem');
  await writeFile(caFile, caPem);
  await app.apps.helmChecked;

  const adminKubeconfigs = new Map<string, string>();
  for (const cluster of sim.clusters) {
    const kubeconfig = join(dir, `admin-${cluster.name}.kubeconfig`);
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': cluster.name,
        clusters: [
          {
            name: cluster.name,
            cluster: { server: cluster.url, 'certificate-authority': cluster.caFile },
          },
        ],
        users: [{ name: 'admin', user: { token: cluster.adminToken } }],
        contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: 'admin' } }],
      }),
    );
    adminKubeconfigs.set(cluster.name, kubeconfig);
    await app.clusters.createPendingImport({ id: cluster.name, name: cluster.name });
    const manifest = join(dir, `import-${cluster.name}.yaml`);
    await writeFile(manifest, await app.clusters.importManifest(cluster.name));
    await kubectl(kubeconfig, ['apply', '-f', manifest]);
    await app.clusters.completeManifestImport(cluster.name, {
      endpoint: cluster.url,
      caPem: await readFile(cluster.caFile, 'utf8'),
      bootstrapToken: cluster.adminToken,
    });
  }
  const login = await app.identity.login.login({
    provider: 'local',
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  const admin: HarnessUser = { name: 'admin', userId: login.userId, token: login.token };

  const graphql: AppsHarness['graphql'] = async (user, query, variables) => {
    const res = await fetchText(`${url}/graphql`, {
      method: 'POST',
      ca: caPem,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return JSON.parse(res.body) as GraphQLAnswer;
  };
  const ok: AppsHarness['ok'] = async (user, query, variables) => {
    const r = await graphql(user, query, variables);
    if (r.errors?.length)
      throw new Error(`GraphQL errors for ${user.name}: ${JSON.stringify(r.errors)}`);
    return r.data;
  };

  // The admin is bound downstream once the push-down ran; wait for it before any test.
  for (const c of CLUSTERS) {
    await waitFor(
      `admin bound in ${c}`,
      async () => {
        const r = await kubectl(adminKubeconfigs.get(c)!, [
          'get',
          'clusterrolebindings',
          '-o',
          'name',
        ]).catch(() => '');
        return r.includes('paddock') ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  return {
    dir,
    url,
    caPem,
    caFile,
    sim,
    app,
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
    async addProject(clusterId, name, namespace) {
      const created = await ok(
        admin,
        'mutation($c: ID!, $n: String) { createProject(clusterId: $c, input: { name: $n }) { projectId } }',
        {
          c: clusterId,
          n: name,
        },
      );
      const projectId = created.createProject.projectId as string;
      await ok(
        admin,
        'mutation($c: ID!, $ns: String!, $p: ID) { createNamespace(clusterId: $c, name: $ns, projectId: $p) { name } }',
        {
          c: clusterId,
          ns: namespace,
          p: projectId,
        },
      );
      return projectId;
    },
    async addMember(clusterId, projectId, namespace, user, role) {
      const bound = await ok(
        admin,
        'mutation($c: ID!, $p: ID!, $u: ID!, $r: ID!) { addProjectMember(clusterId: $c, projectId: $p, principalId: $u, roleTemplateId: $r) { id } }',
        {
          c: clusterId,
          p: projectId,
          u: `local://${user.userId}`,
          r: role,
        },
      );
      await waitFor(
        `${user.name} bound in ${clusterId}/${namespace}`,
        async () => {
          const r = await kubectl(adminKubeconfigs.get(clusterId)!, [
            'get',
            'rolebindings',
            '-n',
            namespace,
            '-o',
            'yaml',
          ]).catch(() => '');
          return r.includes(user.userId) ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      return bound.addProjectMember.id as string;
    },
    adminKubeconfig: (clusterId) => adminKubeconfigs.get(clusterId)!,
    async proxyKubeconfig(user, clusterId) {
      const key = await app.identity.apiKeys.create({ userId: user.userId, kind: 'kubeconfig' });
      const file = join(dir, `${user.name}-${clusterId}-${key.key.keyId}.kubeconfig`);
      await writeFile(
        file,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': clusterId,
          clusters: [
            {
              name: clusterId,
              cluster: {
                server: `${url}/k8s/clusters/${clusterId}`,
                'certificate-authority': caFile,
              },
            },
          ],
          users: [{ name: user.name, user: { token: key.token } }],
          contexts: [{ name: clusterId, context: { cluster: clusterId, user: user.name } }],
        }),
      );
      return file;
    },
    async stop() {
      await server.shutdown(500);
      await app.close();
      await sim.stop();
      await tmp.remove();
    },
  };
}

export function kubectl(kubeconfig: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}
