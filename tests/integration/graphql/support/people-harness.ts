/**
 * A real `paddock serve` (embedded store) in front of a kubesim cluster `one` imported from
 * $KUBECONFIG, for the user management tests: helpers to make local users, bind them on the
 * cluster, fetch their kubeconfig through `GET /v1/kubeconfig`, and look at kubesim's RBAC
 * objects directly as its admin.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { fetchText } from '../../../support/http-client.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { waitFor } from '../../../support/wait-for.js';
import { type KubectlResult, kubectl } from '../../authproxy/support/kubectl.js';
import { type AdminPaddock, startAdminPaddock } from './admin-graphql.js';

export const CLUSTER = 'one';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
type Answer = any;

export interface PeopleHarness {
  readonly app: AdminPaddock;
  readonly sim: Kubesim;
  /** A session of the bootstrap admin. */
  readonly admin: string;
  readonly adminId: string;
  /** Runs GraphQL as `token` and fails the test on any error. */
  ok(token: string, query: string, variables?: Record<string, unknown>): Promise<Answer>;
  /** Makes a local user with a known password (no change required) and returns its id. */
  createUser(username: string, password: string): Promise<string>;
  /** Binds a principal (user id or principal id) on cluster `one` as cluster-owner. */
  bindOnCluster(principalId: string, roleTemplateId?: string): Promise<string>;
  /** Waits until the push-down has (or no longer has) a binding for `userId` in kubesim. */
  waitForDownstreamBinding(userId: string, present: boolean): Promise<void>;
  /** A kubeconfig file for cluster `one` holding a new kubeconfig token of the caller. */
  kubeconfigFor(token: string, name: string): Promise<string>;
  /** kubesim's own admin, bypassing Paddock. */
  simKubectl(args: readonly string[]): Promise<KubectlResult>;
  stop(): Promise<void>;
}

export async function startPeopleHarness(name: string): Promise<PeopleHarness> {
  const tmp = await makeTempDir(`${name}-sim`);
  const sim = await startKubesim({
    clusters: [CLUSTER],
    adminPort: false,
    seed: 'demo',
    stateDir: join(tmp.path, 'kubesim'),
  });
  const c = sim.cluster(CLUSTER).describe();
  let app: AdminPaddock | undefined;
  try {
    // Paddock imports the cluster from this at start; the tests use it as kubesim's admin.
    const simAdmin = join(tmp.path, 'sim-admin.kubeconfig');
    await writeFile(
      simAdmin,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': CLUSTER,
        clusters: [
          { name: CLUSTER, cluster: { server: c.url, 'certificate-authority': c.caFile } },
        ],
        users: [{ name: 'admin', user: { token: c.adminToken } }],
        contexts: [{ name: CLUSTER, context: { cluster: CLUSTER, user: 'admin' } }],
      }),
    );
    app = await startAdminPaddock(name, {
      env: { PADDOCK_IMPORT_KUBECONFIG: 'true', KUBECONFIG: simAdmin },
    });
    const started = app;
    const admin = await started.session('admin', 'test-bootstrap-password');
    const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
      const res = await started.graphql(token, query, variables);
      if (res.errors !== undefined) {
        throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
      }
      return res.data as Answer;
    };
    const adminId = (await ok(admin, '{ me { id } }')).me.id as string;
    const simKubectl = (args: readonly string[]) => kubectl(simAdmin, args);
    return {
      app: started,
      sim,
      admin,
      adminId,
      ok,
      async createUser(username, password) {
        const made = await ok(
          admin,
          'mutation($i: CreateLocalUserInput!) { createLocalUser(input: $i) { user { id } } }',
          { i: { username, password, mustChangePassword: false } },
        );
        return made.createLocalUser.user.id;
      },
      async bindOnCluster(principalId, roleTemplateId = 'cluster-owner') {
        const bound = await ok(
          admin,
          'mutation($c: ID!, $p: ID!, $r: ID!) { addClusterMember(clusterId: $c, principalId: $p, roleTemplateId: $r) { id } }',
          { c: CLUSTER, p: principalId, r: roleTemplateId },
        );
        return bound.addClusterMember.id;
      },
      async waitForDownstreamBinding(userId, present) {
        await waitFor(
          `a downstream binding for ${userId} to be ${present ? 'made' : 'removed'}`,
          async () => {
            const r = await simKubectl([
              'get',
              'clusterrolebindings,rolebindings',
              '-A',
              '-o',
              'json',
            ]);
            if (r.code !== 0) return undefined;
            const items = JSON.parse(r.stdout).items as { subjects?: { name: string }[] }[];
            const found = items.some((i) => (i.subjects ?? []).some((s) => s.name === userId));
            return found === present ? true : undefined;
          },
          { timeoutMs: 20_000, intervalMs: 200 },
        );
      },
      async kubeconfigFor(token, file) {
        const res = await fetchText(`${started.paddock.url}/v1/kubeconfig?clusters=${CLUSTER}`, {
          headers: { authorization: `Bearer ${token}` },
          ca: started.paddock.caPem,
        });
        if (res.status !== 200) throw new Error(`kubeconfig answered ${res.status}: ${res.body}`);
        const path = join(started.dir, `${file}.kubeconfig`);
        await writeFile(path, res.body);
        return path;
      },
      simKubectl,
      async stop() {
        await started.stop();
        await sim.stop();
        await tmp.remove();
      },
    };
  } catch (err) {
    await app?.stop();
    await sim.stop();
    await tmp.remove();
    throw err;
  }
}

/** The token inside a kubeconfig written by `kubeconfigFor`. */
export function tokenOf(kubeconfigYaml: string): string {
  const match = /token: (pdk_\S+)/.exec(kubeconfigYaml);
  if (!match) throw new Error('no token in the kubeconfig');
  return match[1]!;
}
