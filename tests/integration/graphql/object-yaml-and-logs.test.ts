import { expect } from 'chai';
import {
  type GraphQLWithKubesim,
  type Row,
  startGraphQLWithKubesim,
} from './support/graphql-with-kubesim.js';

const GET = `query ($name: String!, $namespace: String) {
  kubernetesObject(clusterId: "one", apiVersion: "apps/v1", kind: "Deployment", name: $name, namespace: $namespace)
}`;
const REPLACE = `mutation ($clusterId: ID!, $object: JSON!) {
  replaceKubernetesObject(clusterId: $clusterId, object: $object)
}`;
const LOGS = `query ($clusterId: ID!, $namespace: String!, $name: String!, $tailLines: Int) {
  podLogs(clusterId: $clusterId, namespace: $namespace, name: $name, tailLines: $tailLines)
}`;

describe('GraphQL for a console: one object as JSON, its replacement and pod logs', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;
  let pod: string;

  before(async () => {
    p = await startGraphQLWithKubesim();
    const r = await p.graphql(
      p.users.admin,
      `{ pods(filter: { clusterIds: ["one"], namespaces: ["shop"], nameContains: "frontend" }) { items { name ready } } }`,
    );
    pod = (r.data.pods.items as Row[]).find((i) => i.ready)?.name;
    expect(pod).to.be.a('string');
  });
  after(async () => {
    await p?.stop();
  });

  it('reads one object whole, with its apiVersion and kind, as the caller', async () => {
    const r = await p.graphql(p.users.member, GET, { name: 'frontend', namespace: 'shop' });
    expect(r.errors).to.equal(undefined);
    const object = r.data.kubernetesObject;
    expect(object).to.include({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(object.metadata.name).to.equal('frontend');
    expect(object.spec.replicas).to.equal(3);
  });

  it('replaces an object from its edited JSON and refuses a stale resourceVersion', async () => {
    const read = await p.graphql(p.users.member, GET, { name: 'cart', namespace: 'shop' });
    const object = read.data.kubernetesObject;
    object.metadata.labels = { ...object.metadata.labels, edited: 'yes' };
    const r = await p.graphql(p.users.member, REPLACE, { clusterId: 'one', object });
    expect(r.errors).to.equal(undefined);
    expect(r.data.replaceKubernetesObject.metadata.labels.edited).to.equal('yes');
    const direct = p.sim.cluster('one').get('deployments.apps', 'shop', 'cart') as Row;
    expect(direct.metadata.labels.edited).to.equal('yes');
    const stale = await p.graphql(p.users.member, REPLACE, { clusterId: 'one', object });
    expect(stale.errors?.[0]?.extensions?.code).to.equal('CONFLICT');
  });

  it('lets the cluster refuse a replacement the caller may not make', async () => {
    const read = await p.graphql(p.users.admin, GET, { name: 'cart', namespace: 'shop' });
    const object = read.data.kubernetesObject;
    delete object.metadata.resourceVersion;
    object.spec.replicas = 9;
    const r = await p.graphql(p.users.nobody, REPLACE, { clusterId: 'one', object });
    expect(r.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const direct = p.sim.cluster('one').get('deployments.apps', 'shop', 'cart') as Row;
    expect(direct.spec.replicas).to.not.equal(9);
  });

  it('names what is missing from an object before calling the cluster', async () => {
    for (const [object, field] of [
      [{ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } }, 'object.apiVersion'],
      [{ apiVersion: 'v1', metadata: { name: 'x' } }, 'object.kind'],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, 'object.metadata.name'],
      [
        { apiVersion: '../../api/v1', kind: 'Secret', metadata: { name: 'x' } },
        'object.apiVersion',
      ],
      [{ apiVersion: 'v1', kind: 'Secret/../x', metadata: { name: 'x' } }, 'object.kind'],
      [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        'object.metadata.namespace',
      ],
    ] as const) {
      const r = await p.graphql(p.users.admin, REPLACE, { clusterId: 'one', object });
      expect(r.errors?.[0]?.extensions?.code, field).to.equal('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).to.contain(field);
    }
  });

  it('reads the last lines of a pod log as the caller', async () => {
    const r = await p.graphql(p.users.member, LOGS, {
      clusterId: 'one',
      namespace: 'shop',
      name: pod,
      tailLines: 3,
    });
    expect(r.errors).to.equal(undefined);
    const lines = String(r.data.podLogs).trimEnd().split('\n');
    expect(lines).to.have.length(3);
    expect(lines[0]).to.contain(`pod=${pod}`);
  });

  it('refuses pod logs to a caller the cluster does not let read them', async () => {
    const r = await p.graphql(p.users.nobody, LOGS, {
      clusterId: 'one',
      namespace: 'shop',
      name: pod,
    });
    expect(r.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    expect(r.data).to.equal(null);
  });

  it('refuses a tail outside 1..10000 lines', async () => {
    const r = await p.graphql(p.users.admin, LOGS, {
      clusterId: 'one',
      namespace: 'shop',
      name: pod,
      tailLines: 0,
    });
    expect(r.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).to.contain('tailLines');
  });
});
