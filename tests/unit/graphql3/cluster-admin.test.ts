import { expect } from 'chai';
import {
  createFakePorts,
  type FakePorts,
  identityOf,
  users,
} from '../graphql/support/fake-ports.js';
import { type GraphQLHarness, startGraphQLHarness } from '../graphql/support/graphql-harness.js';
import { createFakeClusterAdmin, type FakeClusterAdmin } from './support/fake-cluster-admin.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const CLUSTER_FIELDS = 'id name description endpoint importMethod state';
const CALLER = { identity: identityOf(users[0]!), requestId: 'req-test' };

describe('cluster management mutations', () => {
  let harness: GraphQLHarness;
  let admin: FakeClusterAdmin;

  beforeEach(async () => {
    admin = createFakeClusterAdmin();
    const ports: FakePorts = { ...createFakePorts(), clusterAdmin: admin };
    harness = await startGraphQLHarness({ ports });
  });
  afterEach(() => harness.stop());

  it('imports a cluster directly and hands the tokens and CA to the port without echoing them', async () => {
    const res = await harness.post(
      `mutation($input: ImportClusterInput!) { importCluster(input: $input) { ${CLUSTER_FIELDS} } }`,
      {
        token: 't-admin',
        variables: {
          input: {
            name: 'prod',
            endpoint: 'https://prod.example:6443',
            caPem: CA,
            impersonatorToken: 'imp-secret',
            managerToken: 'mgr-secret',
          },
        },
      },
    );
    expect(res.json.errors).to.equal(undefined);
    expect(res.json.data?.importCluster).to.include({
      name: 'prod',
      endpoint: 'https://prod.example:6443',
      importMethod: 'DIRECT',
    });
    expect(res.body).not.to.include('imp-secret');
    expect(res.body).not.to.include('mgr-secret');
    expect(res.body).not.to.include('BEGIN CERTIFICATE');
    expect(admin.calls[0]).to.deep.include({ method: 'importDirect' });
    expect(admin.calls[0]?.input).to.include({
      impersonatorToken: 'imp-secret',
      managerToken: 'mgr-secret',
      caPem: CA,
    });
  });

  it('imports a cluster from kubeconfig text and a context', async () => {
    const res = await harness.post(
      `mutation($input: ImportClusterInput!) { importCluster(input: $input) { ${CLUSTER_FIELDS} } }`,
      {
        token: 't-admin',
        variables: {
          input: {
            kubeconfig: 'apiVersion: v1\nclusters: []\n',
            context: 'kind-dev',
            kubeconfigCredentials: 'CONTEXT',
          },
        },
      },
    );
    expect(res.json.errors).to.equal(undefined);
    expect(res.json.data?.importCluster).to.include({
      name: 'kind-dev',
      importMethod: 'KUBECONFIG',
    });
    expect(admin.calls[0]?.input).to.include({ context: 'kind-dev', credentials: 'context' });
  });

  it('refuses an import that gives both an endpoint and a kubeconfig', async () => {
    const res = await harness.post(
      'mutation($input: ImportClusterInput!) { importCluster(input: $input) { id } }',
      {
        token: 't-admin',
        variables: {
          input: {
            name: 'x',
            endpoint: 'https://x.example',
            kubeconfig: 'clusters: []',
          },
        },
      },
    );
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(admin.calls).to.have.length(0);
  });

  it('refuses a direct import without the manager token', async () => {
    const res = await harness.post(
      'mutation($input: ImportClusterInput!) { importCluster(input: $input) { id } }',
      {
        token: 't-admin',
        variables: {
          input: { name: 'x', endpoint: 'https://x.example', impersonatorToken: 'a' },
        },
      },
    );
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(res.json.errors?.[0]?.message).to.include('managerToken');
  });

  it('creates a pending import with its manifest URL and text, then completes it', async () => {
    const created = await harness.post(
      `mutation { createClusterImport(input: { id: "c-edge", name: "edge" }) {
         cluster { id state } manifestUrl manifest } }`,
      { token: 't-admin' },
    );
    expect(created.json.errors).to.equal(undefined);
    const payload = created.json.data?.createClusterImport as Record<string, unknown>;
    expect(payload.cluster).to.deep.equal({ id: 'c-edge', state: 'PENDING' });
    // The fake settings fix server-url to https://paddock.example.
    expect(payload.manifestUrl).to.equal('https://paddock.example/v1/import/c-edge.yaml');
    expect(payload.manifest).to.include('paddock-system');

    const done = await harness.post(
      `mutation($input: CompleteClusterImportInput!) {
         completeClusterImport(clusterId: "c-edge", input: $input) { id state endpoint } }`,
      {
        token: 't-admin',
        variables: {
          input: { endpoint: 'https://edge.example:6443', bootstrapToken: 'boot-secret' },
        },
      },
    );
    expect(done.json.errors).to.equal(undefined);
    expect(done.json.data?.completeClusterImport).to.deep.equal({
      id: 'c-edge',
      state: 'ACTIVE',
      endpoint: 'https://edge.example:6443',
    });
    expect(done.body).not.to.include('boot-secret');
    expect(admin.calls.at(-1)?.input).to.include({ bootstrapToken: 'boot-secret' });
  });

  it('renames a cluster and removes it', async () => {
    admin.clusters.clear();
    await admin.importDirect(CALLER, {
      id: 'c-ren',
      name: 'old',
      endpoint: 'https://o.example',
      impersonatorToken: 'a',
      managerToken: 'b',
    });
    const renamed = await harness.post(
      'mutation { updateCluster(id: "c-ren", input: { name: "new", description: "d" }) { name description } }',
      { token: 't-admin' },
    );
    expect(renamed.json.data?.updateCluster).to.deep.equal({ name: 'new', description: 'd' });
    const removed = await harness.post('mutation { removeCluster(id: "c-ren") }', {
      token: 't-admin',
    });
    expect(removed.json.data?.removeCluster).to.equal(true);
    const again = await harness.post('mutation { removeCluster(id: "c-ren") }', {
      token: 't-admin',
    });
    expect(again.json.data?.removeCluster).to.equal(false);
  });

  it('answers NOT_FOUND when renaming an unknown cluster', async () => {
    const res = await harness.post(
      'mutation { updateCluster(id: "c-nope", input: { name: "x" }) { id } }',
      { token: 't-admin' },
    );
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
  });

  it('forbids importing to a user without the global create-clusters right', async () => {
    const mutations = [
      'mutation { importCluster(input: { name: "x", endpoint: "https://x.example", impersonatorToken: "a", managerToken: "b" }) { id } }',
      'mutation { createClusterImport(input: { name: "x" }) { manifest } }',
    ];
    for (const query of mutations) {
      const res = await harness.post(query, { token: 't-member' });
      expect(res.json.errors?.[0]?.extensions?.code, query).to.equal('FORBIDDEN');
    }
    expect(admin.calls).to.have.length(0);
  });

  it('hands per-cluster mutations to the port with the caller and request id, which decides', async () => {
    admin.clusters.clear();
    await admin.importDirect(CALLER, {
      id: 'c-one',
      name: 'one',
      endpoint: 'https://o.example',
      impersonatorToken: 'a',
      managerToken: 'b',
    });
    const mutations = [
      'mutation { completeClusterImport(clusterId: "c-one", input: { endpoint: "https://x.example", bootstrapToken: "t" }) { id } }',
      'mutation { updateClusterConnection(id: "c-one", input: { endpoint: "https://x.example", bootstrapToken: "t" }) { id } }',
      'mutation { updateCluster(id: "c-one", input: { name: "x" }) { id } }',
      'mutation { removeCluster(id: "c-one") }',
    ];
    for (const query of mutations) await harness.post(query, { token: 't-member' });
    const asked = admin.calls.slice(1);
    expect(asked.map((c) => c.method)).to.deep.equal([
      'completeManifestImport',
      'updateConnection',
      'update',
      'remove',
    ]);
    for (const call of asked) {
      expect(call.userId).to.equal('u-member');
      expect(call.requestId).to.be.a('string').and.not.equal('');
    }
  });

  it('changes a connection with both tokens and refuses a bootstrap token given with them', async () => {
    admin.clusters.clear();
    await admin.importDirect(CALLER, {
      id: 'c-con',
      name: 'con',
      endpoint: 'https://o.example',
      impersonatorToken: 'a',
      managerToken: 'b',
    });
    const query = `mutation($input: UpdateClusterConnectionInput!) {
      updateClusterConnection(id: "c-con", input: $input) { id endpoint } }`;
    const both = await harness.post(query, {
      token: 't-admin',
      variables: {
        input: {
          endpoint: 'https://n.example',
          bootstrapToken: 'boot',
          impersonatorToken: 'i',
          managerToken: 'm',
        },
      },
    });
    expect(both.json.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    const done = await harness.post(query, {
      token: 't-admin',
      variables: {
        input: { endpoint: 'https://n.example', impersonatorToken: 'imp-new', managerToken: 'm' },
      },
    });
    expect(done.json.errors).to.equal(undefined);
    expect(done.json.data?.updateClusterConnection).to.deep.equal({
      id: 'c-con',
      endpoint: 'https://n.example',
    });
    expect(done.body).not.to.include('imp-new');
    expect(admin.calls.at(-1)?.input).to.include({ impersonatorToken: 'imp-new' });
  });
});

describe('agent cluster mutations', () => {
  let harness: GraphQLHarness;
  let admin: FakeClusterAdmin;

  beforeEach(async () => {
    admin = createFakeClusterAdmin();
    const ports: FakePorts = { ...createFakePorts(), clusterAdmin: admin };
    harness = await startGraphQLHarness({ ports });
  });
  afterEach(() => harness.stop());

  it('creates an agent import and shows the cluster as reached through an agent', async () => {
    const created = await harness.post(
      `mutation { createClusterImport(input: { id: "c-nat", name: "nat", transport: AGENT }) {
         cluster { id state transport } manifestUrl } }`,
      { token: 't-admin' },
    );
    expect(created.json.errors).to.equal(undefined);
    expect(created.json.data?.createClusterImport).to.deep.equal({
      cluster: { id: 'c-nat', state: 'PENDING', transport: 'AGENT' },
      manifestUrl: 'https://paddock.example/v1/import/c-nat.yaml',
    });
    expect(admin.calls.find((c) => c.method === 'createPendingImport')?.input).to.include({
      transport: 'agent',
    });
  });

  it('rotates the registration secret through the port, for the caller, and returns the manifest', async () => {
    await harness.post(
      'mutation { createClusterImport(input: { id: "c-nat", name: "nat", transport: AGENT }) { manifest } }',
      { token: 't-admin' },
    );
    const rotated = await harness.post(
      'mutation { rotateClusterAgentSecret(id: "c-nat") { cluster { id } manifest } }',
      { token: 't-admin' },
    );
    expect(rotated.json.errors).to.equal(undefined);
    const payload = rotated.json.data?.rotateClusterAgentSecret as { cluster: unknown };
    expect(payload.cluster).to.deep.equal({ id: 'c-nat' });
    const call = admin.calls.find((c) => c.method === 'rotateAgentSecret');
    expect(call?.input).to.equal('c-nat');
    expect(call?.userId).to.be.a('string').and.not.equal('');
  });

  it('passes a refusal of the port on as its error code', async () => {
    await harness.post(
      'mutation { createClusterImport(input: { id: "c-plain", name: "plain" }) { manifest } }',
      { token: 't-admin' },
    );
    const res = await harness.post(
      'mutation { rotateClusterAgentSecret(id: "c-plain") { manifest } }',
      { token: 't-admin' },
    );
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('CONFLICT');
  });
});
