import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, writeKubeconfig } from '../authproxy/support/kubectl.js';
import { ADMIN_PASSWORD, type AdminPaddock, startAdminPaddock } from './support/admin-graphql.js';

const CLUSTER_FIELDS = 'id name description state importMethod endpoint';

describe('GraphQL cluster import, rename and removal on a running Paddock', function () {
  this.timeout(180_000);
  let sim: Kubesim;
  let app: AdminPaddock;
  let token: string;
  let simAdmin: string;
  let clusterId: string;

  before(async () => {
    app = await startAdminPaddock('graphql-admin-import');
    sim = await startKubesim({
      clusters: ['edge'],
      adminPort: false,
      seed: 'demo',
      stateDir: join(app.dir, 'kubesim'),
    });
    const edge = sim.cluster('edge').describe();
    simAdmin = await writeKubeconfig(app.dir, 'sim-admin', edge.url, edge.caFile, edge.adminToken);
    token = await app.session('admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await app?.stop();
    await sim?.stop();
  });

  it('sets the public server URL with updateSetting', async () => {
    const res = await app.graphql(
      token,
      'mutation($v: String) { updateSetting(name: "server-url", value: $v) { name value } }',
      { v: app.paddock.url },
    );
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.data.updateSetting).to.deep.equal({ name: 'server-url', value: app.paddock.url });
  });

  it('creates a pending import whose manifest real kubectl applies to the cluster', async () => {
    const res = await app.graphql(
      token,
      `mutation($input: CreateClusterImportInput!) {
        createClusterImport(input: $input) { manifestUrl manifest cluster { ${CLUSTER_FIELDS} } }
      }`,
      { input: { name: 'Edge', description: 'the edge cluster' } },
    );
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    const created = res.data.createClusterImport;
    clusterId = created.cluster.id;
    expect(created.cluster.state).to.equal('PENDING');
    expect(created.cluster.importMethod).to.equal('MANIFEST');
    expect(created.manifestUrl).to.equal(
      `${app.paddock.url}/v1/import/${encodeURIComponent(clusterId)}.yaml`,
    );
    const manifest = join(app.dir, 'import.yaml');
    await writeFile(manifest, created.manifest);
    const applied = await kubectl(simAdmin, ['apply', '-f', manifest]);
    expect(applied.code, applied.stderr).to.equal(0);
    expect(applied.stdout).to.contain('serviceaccount/paddock-impersonator');
  });

  it('completes the import with a one-time bootstrap token and the cluster turns ACTIVE', async () => {
    const edge = sim.cluster('edge').describe();
    const res = await app.graphql(
      token,
      `mutation($id: ID!, $input: CompleteClusterImportInput!) {
        completeClusterImport(clusterId: $id, input: $input) { ${CLUSTER_FIELDS} }
      }`,
      {
        id: clusterId,
        input: { endpoint: edge.url, caPem: sim.caPem, bootstrapToken: edge.adminToken },
      },
    );
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.data.completeClusterImport.endpoint).to.equal(edge.url);
    const listed = await waitFor(
      'the imported cluster to be ACTIVE',
      async () => {
        const list = await app.graphql(token, `{ clusters { items { ${CLUSTER_FIELDS} } } }`);
        const item = list.data?.clusters.items.find((c: { id: string }) => c.id === clusterId);
        return item?.state === 'ACTIVE' ? item : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(listed).to.include({ name: 'Edge', description: 'the edge cluster' });
  });

  it("issues a kubeconfig with which real kubectl lists the cluster's pods as the admin", async () => {
    const res = await app.graphql(token, 'mutation($ids: [ID!]) { kubeconfig(clusterIds: $ids) }', {
      ids: [clusterId],
    });
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    const config = parse(res.data.kubeconfig);
    expect(config.clusters).to.have.length(1);
    expect(config.clusters[0].cluster.server).to.equal(
      `${app.paddock.url}/k8s/clusters/${clusterId}`,
    );
    const file = join(app.dir, 'paddock.kubeconfig');
    await writeFile(file, res.data.kubeconfig);
    // The admin's cluster-owner binding reaches the cluster through the asynchronous push-down.
    const pods = await waitFor(
      'kubectl to list pods through Paddock',
      async () => {
        const r = await kubectl(file, ['get', 'pods', '-A', '-o', 'name']);
        if (r.code !== 0) throw new Error(r.stderr);
        return r.stdout;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(pods).to.match(/^pod\//m);
  });

  it('renames the cluster with updateCluster', async () => {
    const res = await app.graphql(
      token,
      `mutation($id: ID!, $input: UpdateClusterInput!) {
        updateCluster(id: $id, input: $input) { ${CLUSTER_FIELDS} }
      }`,
      { id: clusterId, input: { name: 'Edge Renamed' } },
    );
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.data.updateCluster).to.include({ id: clusterId, name: 'Edge Renamed' });
    const list = await app.graphql(token, '{ clusters { items { id name } } }');
    expect(list.data.clusters.items).to.deep.include({ id: clusterId, name: 'Edge Renamed' });
  });

  it('removes the cluster with removeCluster, and a second removal answers false', async () => {
    const res = await app.graphql(token, 'mutation($id: ID!) { removeCluster(id: $id) }', {
      id: clusterId,
    });
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    expect(res.data.removeCluster).to.equal(true);
    const list = await app.graphql(token, '{ clusters { items { id } } }');
    expect(list.data.clusters.items).to.deep.equal([]);
    const again = await app.graphql(token, 'mutation($id: ID!) { removeCluster(id: $id) }', {
      id: clusterId,
    });
    expect(again.data.removeCluster).to.equal(false);
  });

  it('never sent a cluster token or CA back in any GraphQL answer', async () => {
    const secret = async (name: string) => {
      const r = await kubectl(simAdmin, [
        'get',
        'secret',
        name,
        '-n',
        'paddock-system',
        '-o',
        'jsonpath={.data.token}',
      ]);
      expect(r.code, r.stderr).to.equal(0);
      return Buffer.from(r.stdout, 'base64').toString('utf8');
    };
    const caBody = sim.caPem
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('-----'))
      .join('');
    const forbidden = [
      sim.cluster('edge').describe().adminToken,
      await secret('paddock-impersonator-token'),
      await secret('paddock-manager-token'),
      caBody.slice(0, 64),
      Buffer.from(sim.caPem).toString('base64').slice(0, 64),
    ];
    expect(app.bodies.length).to.be.greaterThan(5);
    for (const value of forbidden) {
      expect(value.length).to.be.greaterThan(16);
      for (const body of app.bodies) expect(body).not.to.contain(value);
    }
  });
});
