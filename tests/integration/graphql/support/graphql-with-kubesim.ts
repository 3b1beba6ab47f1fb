/**
 * Paddock's real server with /graphql and the proxy route in front of a kubesim with three
 * clusters (`one`, `two`, `three`, demo seed), all imported through the real registry. The
 * GraphQL layer gets the real `KubeApi` over the registry and the real caller-namespace scope
 * over an in-memory access state; users authenticate with real API keys from the identity
 * module. The admin is bound to cluster-admin in every cluster, the member is bound by
 * RoleBindings in the namespaces of project `p-shop` of cluster `one`, `nobody` has nothing.
 */
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { createK8sProxy, type K8sProxy, OpenStreams } from '../../../../src/authproxy/index.js';
import { DatasourceClusterRegistry } from '../../../../src/datasources/index.js';
import { SharedInformers } from '../../../../src/datasources/informers/index.js';
import {
  createCallerNamespaceScope,
  createKubeApi,
} from '../../../../src/datasources/kube-api/index.js';
import type { AccessState, ProjectRoleBinding } from '../../../../src/domain/rbac.js';
import type { SettingView } from '../../../../src/domain/settings.js';
import { FleetIndexService } from '../../../../src/fleet-index/index.js';
import {
  AesGcmSecretBox,
  createIdentityServices,
  type IdentityServices,
  StoreCredentialEvents,
} from '../../../../src/identity/index.js';
import type { GraphQLPorts } from '../../../../src/resolvers/context.js';
import {
  createGraphQLEndpoint,
  type GraphQLEndpoint,
  principalSearchAcross,
  staticSettings,
} from '../../../../src/server/graphql/index.js';
import { createHttpMetrics } from '../../../../src/server/http-metrics.js';
import { createPaddockServer, type PaddockServer } from '../../../../src/server/paddock-server.js';
import { fetchText } from '../../../support/http-client.js';
import { MemoryStore } from '../../../support/memory-store.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { testTlsMaterial } from '../../../unit/datasources/support/fake-api-server.js';
import { createTestLogger } from '../../../unit/datasources/support/test-logger.js';
import { kubectl, writeKubeconfig } from '../../authproxy/support/kubectl.js';

export const CLUSTERS = ['one', 'two', 'three'] as const;
export type ClusterName = (typeof CLUSTERS)[number];
export const MEMBER_PROJECT = 'p-shop';

export interface TestUser {
  readonly name: string;
  readonly userId: string;
  readonly token: string;
  /** kubeconfig through Paddock's proxy, one context per cluster. */
  kubeconfig(cluster: ClusterName): Promise<string>;
}

export interface GraphQLResult {
  readonly status: number;
  /** Read loosely: tests assert on the shape they asked for. */
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  readonly data: any;
  readonly errors:
    | { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[]
    | undefined;
}

export interface GraphQLWithKubesim {
  readonly dir: string;
  readonly url: string;
  readonly caPem: string;
  readonly sim: Kubesim;
  readonly registry: DatasourceClusterRegistry;
  readonly identity: IdentityServices;
  readonly endpoint: GraphQLEndpoint;
  /** Present with `fleetIndex: true`. */
  readonly fleetIndex: FleetIndexService | undefined;
  /** Settings the index reads; change them, then `fleetIndex.refresh()`. */
  readonly settings: Map<string, string>;
  readonly users: { admin: TestUser; member: TestUser; nobody: TestUser };
  /** Direct admin kubeconfig of a kubesim cluster, bypassing Paddock. */
  adminKubeconfig(cluster: ClusterName): Promise<string>;
  graphql(
    user: TestUser,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResult>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Per-cluster deadline of fan-outs; default 1500 ms so the slow-cluster test stays short. */
  readonly fanOutDeadlineMs?: number;
  readonly seed?: string;
  /** Serve lists from the fleet index (over real informers of the three clusters). */
  readonly fleetIndex?: boolean;
}

export async function startGraphQLWithKubesim(
  options: StartOptions = {},
): Promise<GraphQLWithKubesim> {
  const tmp = await makeTempDir('graphql-it');
  const dir = tmp.path;
  const sim = await startKubesim({
    clusters: [...CLUSTERS],
    adminPort: false,
    seed: options.seed ?? 'demo',
    stateDir: join(dir, 'kubesim'),
  });
  const store = new MemoryStore();
  const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 9));
  const logger = createTestLogger();
  const identity = createIdentityServices({
    store,
    secretBox,
    apiKeyPepper: Buffer.alloc(32, 3),
    issuer: 'https://paddock.test',
    hasAnyMembership: async () => true,
  });
  await identity.start();
  const registry = new DatasourceClusterRegistry({
    store,
    secretBox,
    logger,
    probeTimeoutMs: 1_000,
    breaker: { failureThreshold: 1_000 },
  });
  const adminKubeconfigs = new Map<ClusterName, string>();
  for (const name of CLUSTERS) {
    const c = sim.cluster(name).describe();
    adminKubeconfigs.set(
      name,
      await writeKubeconfig(dir, `admin-${name}`, c.url, c.caFile, c.adminToken),
    );
    await registry.importFromKubeconfig({
      kubeconfig: stringify({
        'current-context': name,
        clusters: [{ name, cluster: { server: c.url, 'certificate-authority': c.caFile } }],
        users: [{ name: 'admin', user: { token: c.adminToken } }],
        contexts: [{ name, context: { cluster: name, user: 'admin' } }],
      }),
      localFiles: 'read',
      id: name,
      name: name.toUpperCase(),
    });
  }

  const makeUser = async (name: string) => {
    const user = await identity.users.create({ username: name, provider: 'local', groups: [] });
    const key = await identity.apiKeys.create({ userId: user.id, kind: 'api-key' });
    return { userId: user.id, token: key.token };
  };
  const admin = await makeUser('admin');
  const member = await makeUser('member');
  const nobody = await makeUser('nobody');

  // What the RBAC push-down will do; here the bindings are made directly in kubesim.
  for (const name of CLUSTERS) {
    const r = await kubectl(
      adminKubeconfigs.get(name)!,
      ['apply', '-f', '-'],
      clusterRoleBinding('paddock-admin', 'cluster-admin', admin.userId),
    );
    if (r.code !== 0) throw new Error(`binding the admin failed: ${r.stderr}`);
  }
  const projectNs = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: { team: shop, paddock.io/project-id: one_${MEMBER_PROJECT} }
  annotations: { paddock.io/project-id: "one:${MEMBER_PROJECT}" }
`;
  const labelled = await kubectl(adminKubeconfigs.get('one')!, ['apply', '-f', '-'], projectNs);
  if (labelled.code !== 0)
    throw new Error(`labelling the project namespace failed: ${labelled.stderr}`);
  const bound = await kubectl(
    adminKubeconfigs.get('one')!,
    ['apply', '-f', '-'],
    roleBinding('paddock-member-edit', 'shop', 'edit', member.userId),
  );
  if (bound.code !== 0) throw new Error(`binding the member failed: ${bound.stderr}`);

  const memberBinding: ProjectRoleBinding = {
    id: 'prtb-member',
    clusterId: 'one',
    projectId: MEMBER_PROJECT,
    roleTemplateId: 'project-member',
    subject: { kind: 'user', userId: member.userId },
    createdAt: 0,
  };
  const accessState: AccessState = {
    globalRoles: [],
    roleTemplates: [],
    globalRoleBindings: [],
    clusterRoleBindings: [],
    projectRoleBindings: [memberBinding],
    projects: [
      {
        id: MEMBER_PROJECT,
        clusterId: 'one',
        name: 'Shop',
        description: 'the shop team',
        createdAt: 0,
        updatedAt: 0,
      },
    ],
  };
  const access = { snapshot: async () => accessState, watch: () => () => undefined };
  const namespaceScope = createCallerNamespaceScope({
    access,
    // What the manager account reads; kubesim's own state stands in for it here.
    namespaces: async (clusterId) =>
      sim
        .cluster(clusterId)
        .list('namespaces')
        .map((ns) => {
          const meta = (
            ns as {
              metadata: {
                name: string;
                labels?: Record<string, string>;
                annotations?: Record<string, string>;
              };
            }
          ).metadata;
          return {
            name: meta.name,
            labels: meta.labels ?? {},
            annotations: meta.annotations ?? {},
          };
        }),
    cacheMs: 0,
  });

  const settingValues = new Map<string, string>();
  const settingsReader = {
    list: async () => [],
    get: async (name: string): Promise<SettingView | undefined> => {
      const value = settingValues.get(name);
      return value === undefined
        ? undefined
        : { name, value, defaultValue: '', description: '', source: 'store', readOnly: false };
    },
  };
  let informers: SharedInformers | undefined;
  let fleetIndex: FleetIndexService | undefined;
  if (options.fleetIndex) {
    informers = new SharedInformers({ clusters: registry, logger, retryMs: 100, maxRetryMs: 500 });
    fleetIndex = new FleetIndexService({
      informers,
      clusters: registry,
      settings: settingsReader,
      logger,
      refreshMs: 200,
    });
    await fleetIndex.start();
  }

  const ports: GraphQLPorts = {
    authenticator: identity.authenticator,
    login: identity.login,
    apiKeys: identity.apiKeys,
    users: identity.users,
    principals: principalSearchAcross(() => []),
    clusters: registry,
    // Every cluster is visible; the downstream RBAC decides what each caller reads in it.
    authorizer: { allows: async () => true, visibleClusterIds: async () => 'all' },
    settings: staticSettings([]),
    kubeApi: createKubeApi({ connections: registry }),
    namespaceScope,
    access,
    fanOut: { deadlineMs: options.fanOutDeadlineMs ?? 1_500 },
    ...(fleetIndex ? { fleetIndex } : {}),
    subscriptionLimits: { perUser: 3, idleMs: 60_000, lifetimeMs: 120_000 },
  };
  const openStreams = new OpenStreams({
    authenticator: identity.authenticator,
    logger,
    credentialEvents: new StoreCredentialEvents(store),
    label: 'GraphQL WebSockets',
  });
  const endpoint = await createGraphQLEndpoint({ ports, logger, openStreams, production: false });
  const proxy: K8sProxy = createK8sProxy({
    authenticator: identity.authenticator,
    clusters: registry,
    logger,
    metricsRegistry: new Registry(),
    auditSink: { write: () => undefined },
  });
  const tls = await testTlsMaterial();
  const server: PaddockServer = createPaddockServer({
    routes: [proxy.route, ...endpoint.routes],
    logger,
    metrics: createHttpMetrics(),
    tls: { certPem: tls.certPem, keyPem: tls.keyPem, caPem: tls.caPem, origin: 'configured' },
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  const url = `https://127.0.0.1:${address.port}`;
  const paddockCa = join(dir, 'paddock-ca.pem');
  await writeFile(paddockCa, tls.caPem);

  const testUser = (name: string, u: { userId: string; token: string }): TestUser => ({
    name,
    ...u,
    kubeconfig: (cluster) =>
      writeKubeconfig(
        dir,
        `${name}-${cluster}`,
        `${url}/k8s/clusters/${cluster}`,
        paddockCa,
        u.token,
      ),
  });

  return {
    dir,
    url,
    caPem: tls.caPem,
    sim,
    registry,
    identity,
    endpoint,
    fleetIndex,
    settings: settingValues,
    users: {
      admin: testUser('admin', admin),
      member: testUser('member', member),
      nobody: testUser('nobody', nobody),
    },
    adminKubeconfig: async (cluster) => adminKubeconfigs.get(cluster)!,
    async graphql(user, query, variables) {
      const res = await fetchText(`${url}/graphql`, {
        method: 'POST',
        ca: tls.caPem,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${user.token}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const json = JSON.parse(res.body) as Omit<GraphQLResult, 'status'>;
      return { status: res.status, data: json.data, errors: json.errors };
    },
    async stop() {
      proxy.close();
      openStreams.close();
      await server.shutdown(200);
      await endpoint.stop();
      await fleetIndex?.stop();
      await informers?.stop();
      await registry.stop();
      identity.close();
      await sim.stop();
      await tmp.remove();
    },
  };
}

function clusterRoleBinding(name: string, role: string, userId: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ${name} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role} }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "${userId}" }]
`;
}

function roleBinding(name: string, namespace: string, role: string, userId: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: ${name}, namespace: ${namespace} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role} }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "${userId}" }]
`;
}

/** `clusterErrors` as `<clusterId>:<code>` lines. */
export function clusterErrorsOf(list: {
  clusterErrors: { clusterId: string; code: string }[];
}): string[] {
  return list.clusterErrors.map((e) => `${e.clusterId}:${e.code}`);
}

/** One object of a GraphQL answer, read loosely. */
// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
export type Row = Record<string, any>;
