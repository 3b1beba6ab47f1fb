/**
 * Attacks on cluster registration by low-privilege users, against a real `paddock serve` with
 * OpenLDAP users (who get the default `user` global role at first login) and a kubesim: taking
 * over someone else's import or an active cluster, making Paddock read its own key file through
 * a kubeconfig, mapping ports through import errors, reaching a denied network. Plus who sees
 * which cluster (creators, global roles with inherited cluster roles) and a namespace move that
 * would zero another namespace's quota.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import {
  getSlapd,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SLAPD_SERVICE_DN,
  SLAPD_SERVICE_PASSWORD,
  type SlapdFixture,
  slapdPassword,
} from '../../support/slapd.js';
import { waitFor } from '../../support/wait-for.js';
import { testTlsMaterial } from '../../unit/datasources/support/fake-api-server.js';
import { kubectl, writeKubeconfig } from '../authproxy/support/kubectl.js';
import {
  ADMIN_PASSWORD,
  type AdminPaddock,
  errorCode,
  type GraphQLAnswer,
  startAdminPaddock,
} from './support/admin-graphql.js';

const CREATE_IMPORT = `mutation($input: CreateClusterImportInput!) {
  createClusterImport(input: $input) { manifest cluster { id state } } }`;
const COMPLETE = `mutation($id: ID!, $input: CompleteClusterImportInput!) {
  completeClusterImport(clusterId: $id, input: $input) { id state endpoint } }`;
const IMPORT = `mutation($input: ImportClusterInput!) {
  importCluster(input: $input) { id state endpoint } }`;
const CLUSTERS = '{ clusters { items { id } } }';
const CLUSTER = 'query($id: ID!) { cluster(id: $id) { id state endpoint } }';
const REMOVE = 'mutation($id: ID!) { removeCluster(id: $id) }';

function ok(answer: GraphQLAnswer) {
  expect(answer.errors, JSON.stringify(answer.errors)).to.equal(undefined);
  return answer.data;
}

function ids(answer: GraphQLAnswer): string[] {
  return (ok(answer).clusters.items as { id: string }[]).map((c) => c.id);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('cluster registration is safe from low-privilege users on a running Paddock', function () {
  this.timeout(240_000);
  let slapd: SlapdFixture;
  let app: AdminPaddock;
  let sim: Kubesim;
  let admin: string;
  let alice: string;
  let bob: string;
  let edgeId: string;
  let alicePendingId: string;
  let spareAdmin: string;
  let keyFile: string;

  const edge = () => sim.cluster('edge').describe();
  const spare = () => sim.cluster('spare').describe();

  before(async () => {
    slapd = await getSlapd();
    app = await startAdminPaddock('graphql-cluster-trust');
    sim = await startKubesim({
      clusters: ['edge', 'spare'],
      adminPort: false,
      seed: 'demo',
      stateDir: join(app.dir, 'kubesim'),
    });
    spareAdmin = await writeKubeconfig(
      app.dir,
      'spare-admin',
      spare().url,
      spare().caFile,
      spare().adminToken,
    );
    keyFile = join(app.dir, 'data', 'keys', 'encryption.key');
    admin = await app.session('admin', ADMIN_PASSWORD);
    ok(
      await app.graphql(
        admin,
        'mutation($v: String) { updateSetting(name: "server-url", value: $v) { value } }',
        {
          v: app.paddock.url,
        },
      ),
    );
    ok(
      await app.graphql(
        admin,
        'mutation($input: SetAuthConfigInput!) { setAuthConfig(input: $input) { provider } }',
        {
          input: {
            provider: 'OPENLDAP',
            enabled: true,
            accessMode: 'UNRESTRICTED',
            settings: {
              servers: [`127.0.0.1:${slapd.ldapsPort}`],
              tls: { mode: 'ldaps', caPem: slapd.caPem },
              serviceAccount: { bindDn: SLAPD_SERVICE_DN, password: SLAPD_SERVICE_PASSWORD },
              users: { searchBase: SLAPD_PEOPLE },
              groups: { searchBase: SLAPD_GROUPS },
            },
          },
        },
      ),
    );
    alice = await waitFor(
      'alice to log in through OpenLDAP',
      () => app.session('alice', slapdPassword('alice'), 'openldap').catch(() => undefined),
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    bob = await app.session('bob', slapdPassword('bob'), 'openldap');

    // The admin imports `edge` through the manifest flow; it is active from here on.
    const created = ok(await app.graphql(admin, CREATE_IMPORT, { input: { name: 'Edge' } }));
    edgeId = created.createClusterImport.cluster.id;
    const edgeAdmin = await writeKubeconfig(
      app.dir,
      'edge-admin',
      edge().url,
      edge().caFile,
      edge().adminToken,
    );
    const manifest = join(app.dir, 'edge-import.yaml');
    await writeFile(manifest, created.createClusterImport.manifest);
    const applied = await kubectl(edgeAdmin, ['apply', '-f', manifest]);
    expect(applied.code, applied.stderr).to.equal(0);
    ok(
      await app.graphql(admin, COMPLETE, {
        id: edgeId,
        input: { endpoint: edge().url, caPem: sim.caPem, bootstrapToken: edge().adminToken },
      }),
    );
  });

  after(async () => {
    await app?.stop();
    await sim?.stop();
  });

  it("refuses a plain user's completion of someone else's pending import, which stays pending", async () => {
    const created = ok(
      await app.graphql(alice, CREATE_IMPORT, { input: { name: 'Alice pending' } }),
    );
    alicePendingId = created.createClusterImport.cluster.id;
    // Bob prepares his own cluster with the import manifest, then tries to claim alice's import.
    const manifest = join(app.dir, 'stolen-import.yaml');
    await writeFile(manifest, created.createClusterImport.manifest);
    const applied = await kubectl(spareAdmin, ['apply', '-f', manifest]);
    expect(applied.code, applied.stderr).to.equal(0);
    const stolen = await app.graphql(bob, COMPLETE, {
      id: alicePendingId,
      input: { endpoint: spare().url, caPem: sim.caPem, bootstrapToken: spare().adminToken },
    });
    expect(errorCode(stolen), JSON.stringify(stolen)).to.equal('FORBIDDEN');
    const seen = ok(await app.graphql(admin, CLUSTER, { id: alicePendingId }));
    expect(seen.cluster).to.deep.equal({ id: alicePendingId, state: 'PENDING', endpoint: '' });
  });

  it('refuses re-completing an active cluster with the caller’s own endpoint and keeps its endpoint', async () => {
    const takeover = await app.graphql(alice, COMPLETE, {
      id: edgeId,
      input: { endpoint: spare().url, caPem: sim.caPem, bootstrapToken: spare().adminToken },
    });
    expect(errorCode(takeover), JSON.stringify(takeover)).to.equal('FORBIDDEN');
    const again = await app.graphql(admin, COMPLETE, {
      id: edgeId,
      input: { endpoint: spare().url, caPem: sim.caPem, bootstrapToken: spare().adminToken },
    });
    expect(errorCode(again)).to.equal('CONFLICT');
    expect(again.errors?.[0]?.extensions?.reason).to.equal('cluster_not_pending');
    const seen = ok(await app.graphql(admin, CLUSTER, { id: edgeId }));
    expect(seen.cluster.endpoint).to.equal(edge().url);
  });

  it('refuses every kubeconfig field that would read a local file or run a command, naming it, and leaks nothing', async () => {
    const key = (await readFile(keyFile, 'utf8')).trim();
    expect(key.length).to.be.greaterThan(16);
    const server = { server: spare().url };
    const cases: [string, { cluster?: object; user?: object }, string][] = [
      ['tokenFile', { user: { tokenFile: keyFile } }, 'users[0].user.tokenFile'],
      [
        'certificate-authority',
        { cluster: { 'certificate-authority': keyFile }, user: { token: 't' } },
        'clusters[0].cluster.certificate-authority',
      ],
      [
        'client-certificate',
        { user: { token: 't', 'client-certificate': keyFile } },
        'users[0].user.client-certificate',
      ],
      ['client-key', { user: { token: 't', 'client-key': keyFile } }, 'users[0].user.client-key'],
      [
        'exec',
        {
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'cat',
              args: [keyFile],
            },
          },
        },
        'users[0].user.exec',
      ],
      [
        'auth-provider',
        { user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } } },
        'users[0].user.auth-provider',
      ],
    ];
    const before = app.bodies.length;
    for (const [field, extra, path] of cases) {
      const kubeconfig = stringify({
        'current-context': 'x',
        clusters: [{ name: 'x', cluster: { ...server, ...extra.cluster } }],
        users: [{ name: 'u', user: { ...extra.user } }],
        contexts: [{ name: 'x', context: { cluster: 'x', user: 'u' } }],
      });
      const res = await app.graphql(alice, IMPORT, {
        input: { kubeconfig, name: `kc-${field}`, kubeconfigCredentials: 'CONTEXT' },
      });
      expect(errorCode(res), `${field}: ${JSON.stringify(res)}`).to.equal('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).to.equal(
        `${path} is not accepted through the API; ${
          field === 'tokenFile'
            ? 'inline the token'
            : field === 'certificate-authority'
              ? 'inline the CA as certificate-authority-data'
              : field === 'client-certificate'
                ? 'inline it as client-certificate-data'
                : field === 'client-key'
                  ? 'inline it as client-key-data'
                  : 'inline a token'
        }`,
      );
    }
    for (const body of app.bodies.slice(before)) expect(body).not.to.contain(key.slice(0, 24));
    expect(ids(await app.graphql(alice, CLUSTERS))).to.deep.equal([alicePendingId]);
  });

  it('answers "cannot reach endpoint" alike for a closed port, a plain TCP port and a web server that is no Kubernetes', async () => {
    const tls = await testTlsMaterial();
    const web: Server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>intranet: the quarterly numbers</html>');
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const targets = [await closedPort(), slapd.ldapPort, (web.address() as AddressInfo).port];
      const answers = [];
      for (const port of targets) {
        const kubeconfig = stringify({
          'current-context': 'x',
          clusters: [
            {
              name: 'x',
              cluster: {
                server: `https://127.0.0.1:${port}`,
                'certificate-authority-data': Buffer.from(tls.caPem).toString('base64'),
              },
            },
          ],
          users: [{ name: 'u', user: { token: 'probe' } }],
          contexts: [{ name: 'x', context: { cluster: 'x', user: 'u' } }],
        });
        const res = await app.graphql(alice, IMPORT, {
          input: { kubeconfig, name: `probe-${port}` },
        });
        const error = res.errors?.[0];
        answers.push({
          message: error?.message,
          code: error?.extensions?.code,
          reason: error?.extensions?.reason,
        });
        expect(JSON.stringify(res)).not.to.contain('quarterly');
      }
      expect(answers[0]).to.deep.equal({
        message: 'cannot reach endpoint',
        code: 'UPSTREAM_UNAVAILABLE',
        reason: 'endpoint_unreachable',
      });
      expect(answers[1]).to.deep.equal(answers[0]);
      expect(answers[2]).to.deep.equal(answers[0]);
    } finally {
      await new Promise<void>((r) => web.close(() => r()));
    }
  });

  it('refuses targets in a denied network, by default and as the settings say', async () => {
    for (const endpoint of ['https://169.254.169.254:6443', 'https://[::ffff:169.254.169.254]']) {
      const res = await app.graphql(alice, IMPORT, {
        input: {
          name: `meta-${endpoint.length}`,
          endpoint,
          impersonatorToken: 'i',
          managerToken: 'm',
        },
      });
      expect(errorCode(res), endpoint).to.equal('FORBIDDEN');
      expect(res.errors?.[0]?.extensions?.reason).to.equal('outbound_denied');
    }
    const set = (value: string | null) =>
      app.graphql(
        admin,
        'mutation($v: String) { updateSetting(name: "outbound-allowed-networks", value: $v) { value } }',
        {
          v: value,
        },
      );
    ok(await set('10.0.0.0/8'));
    try {
      const res = await app.graphql(alice, IMPORT, {
        input: {
          name: 'loopback',
          endpoint: spare().url,
          caPem: sim.caPem,
          impersonatorToken: 'i',
          managerToken: 'm',
        },
      });
      expect(errorCode(res)).to.equal('FORBIDDEN');
      expect(res.errors?.[0]?.extensions?.reason).to.equal('outbound_denied');
    } finally {
      ok(await set(null));
    }
    expect(ids(await app.graphql(alice, CLUSTERS))).to.deep.equal([alicePendingId]);
  });

  it('lets the creator see and delete its own cluster, and nobody else', async () => {
    expect(ids(await app.graphql(alice, CLUSTERS))).to.include(alicePendingId);
    expect(ok(await app.graphql(alice, CLUSTER, { id: alicePendingId })).cluster).to.include({
      id: alicePendingId,
    });
    expect(ids(await app.graphql(bob, CLUSTERS))).not.to.include(alicePendingId);
    expect(ok(await app.graphql(bob, CLUSTER, { id: alicePendingId })).cluster).to.equal(null);
    expect(ok(await app.graphql(alice, CLUSTER, { id: edgeId })).cluster).to.equal(null);

    expect(errorCode(await app.graphql(bob, REMOVE, { id: alicePendingId }))).to.equal('FORBIDDEN');
    expect(errorCode(await app.graphql(alice, REMOVE, { id: edgeId }))).to.equal('FORBIDDEN');
    expect(ok(await app.graphql(alice, REMOVE, { id: alicePendingId })).removeCluster).to.equal(
      true,
    );
    expect(ids(await app.graphql(admin, CLUSTERS))).to.deep.equal([edgeId]);
  });

  it('shows every cluster to a user whose global role inherits cluster-owner: lists, cluster(id), cross-cluster reads and kubeconfig', async () => {
    const dave = await app.session('dave', slapdPassword('dave'), 'openldap');
    expect(ids(await app.graphql(dave, CLUSTERS))).to.deep.equal([]);
    ok(
      await app.graphql(
        admin,
        'mutation($input: GlobalRoleInput!) { createGlobalRole(input: $input) { id } }',
        {
          input: { id: 'fleet-owner', rules: [], inheritedClusterRoles: ['cluster-owner'] },
        },
      ),
    );
    ok(
      await app.graphql(
        admin,
        'mutation($p: ID!) { bindGlobalRole(globalRoleId: "fleet-owner", principalId: $p) { id } }',
        {
          p: `openldap_user://uid=dave,${SLAPD_PEOPLE}`,
        },
      ),
    );
    expect(ids(await app.graphql(dave, CLUSTERS))).to.deep.equal([edgeId]);
    expect(ok(await app.graphql(dave, CLUSTER, { id: edgeId })).cluster).to.include({ id: edgeId });
    const config = parse(ok(await app.graphql(dave, 'mutation { kubeconfig }')).kubeconfig);
    expect(
      config.clusters.map((c: { cluster: { server: string } }) => c.cluster.server),
    ).to.deep.equal([`${app.paddock.url}/k8s/clusters/${edgeId}`]);
    const file = join(app.dir, 'dave.kubeconfig');
    await writeFile(file, stringify(config));
    // The inherited cluster-owner reaches the cluster through the push-down.
    const listed = await waitFor(
      "a cross-cluster namespace list and kubectl to show edge's namespaces to dave",
      async () => {
        const res = await app.graphql(dave, '{ namespaces { items { clusterId name } } }');
        const names = (res.data?.namespaces?.items ?? []) as { clusterId: string; name: string }[];
        if (!names.some((n) => n.clusterId === edgeId && n.name === 'kube-system'))
          return undefined;
        const pods = await kubectl(file, ['get', 'namespaces', '-o', 'name']);
        return pods.code === 0 ? pods.stdout : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(listed).to.contain('namespace/kube-system');
  });

  it("refuses moving a namespace into a project when that would zero another namespace's quota", async () => {
    const project = ok(
      await app.graphql(
        admin,
        `mutation($c: ID!, $input: ProjectSettingsInput!) { createProject(clusterId: $c, input: $input) { id } }`,
        {
          c: edgeId,
          input: {
            name: 'quota',
            quotaLimit: [{ resource: 'pods', quantity: '10' }],
            namespaceDefaultQuota: [{ resource: 'pods', quantity: '5' }],
          },
        },
      ),
    ).createProject.id as string;
    const CREATE_NS = `mutation($c: ID!, $n: String!, $p: ID) {
      createNamespace(clusterId: $c, name: $n, projectId: $p) { name projectId } }`;
    // The admin's own cluster-owner binding reaches the cluster through the push-down.
    await waitFor(
      'the admin to create a namespace in the project',
      async () => {
        const res = await app.graphql(admin, CREATE_NS, { c: edgeId, n: 'zz-one', p: project });
        return res.errors === undefined ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    ok(await app.graphql(admin, CREATE_NS, { c: edgeId, n: 'zz-two', p: project }));
    ok(await app.graphql(admin, CREATE_NS, { c: edgeId, n: 'aa-free', p: null }));

    const moved = await app.graphql(
      admin,
      'mutation($c: ID!, $p: ID) { moveNamespace(clusterId: $c, name: "aa-free", projectId: $p) { projectId } }',
      { c: edgeId, p: project },
    );
    expect(errorCode(moved), JSON.stringify(moved)).to.equal('BAD_USER_INPUT');
    expect(moved.errors?.[0]?.extensions?.reason).to.equal('quota_exceeded');
    const created = await app.graphql(admin, CREATE_NS, { c: edgeId, n: 'aa-new', p: project });
    expect(errorCode(created)).to.equal('BAD_USER_INPUT');

    const edgeAdmin = join(app.dir, 'edge-admin.kubeconfig');
    const label = await kubectl(edgeAdmin, [
      'get',
      'namespace',
      'aa-free',
      '-o',
      'jsonpath={.metadata.annotations.paddock\\.io/project-id}',
    ]);
    expect(label.code, label.stderr).to.equal(0);
    expect(label.stdout).to.equal('');
    const missing = await kubectl(edgeAdmin, ['get', 'namespace', 'aa-new']);
    expect(missing.code).not.to.equal(0);
  });
});
