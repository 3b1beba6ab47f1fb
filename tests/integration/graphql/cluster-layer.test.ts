import { expect } from 'chai';
import {
  clusterErrorsOf,
  type GraphQLWithKubesim,
  type Row,
  startGraphQLWithKubesim,
} from './support/graphql-with-kubesim.js';

describe('GraphQL cluster layer against kubesim', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;

  before(async () => {
    p = await startGraphQLWithKubesim();
  });
  after(async () => {
    await p?.stop();
  });

  it('lists the nodes of all three clusters with roles, conditions, versions and requested resources', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ nodes { items { clusterId name roles ready kubeletVersion addresses { type address }
          taints { key effect } conditions { type status }
          capacity { cpuMillis memoryBytes pods } allocatable { cpuMillis pods } requested { cpuMillis memoryBytes pods } }
        clusterErrors { clusterId code } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const nodes: Row[] = r.data.nodes.items;
    expect(nodes.map((n) => `${n.clusterId}/${n.name}`)).to.deep.equal([
      'one/one-control-plane',
      'one/one-worker-1',
      'one/one-worker-2',
      'three/three-control-plane',
      'three/three-worker-1',
      'three/three-worker-2',
      'two/two-control-plane',
      'two/two-worker-1',
      'two/two-worker-2',
    ]);
    const cp = nodes[0]!;
    expect(cp.roles).to.include('control-plane');
    expect(cp.ready).to.equal(true);
    expect((cp.capacity as { cpuMillis: number }).cpuMillis).to.be.greaterThan(0);
    const workers = nodes.filter((n) => n.clusterId === 'one' && String(n.name).includes('worker'));
    const requestedCpu = workers.reduce(
      (sum: number, n) => sum + (n.requested as { cpuMillis: number }).cpuMillis,
      0,
    );
    // demo seed: frontend 3×100m, cart 2×250m, payments api 2×500m, prometheus 200m
    expect(requestedCpu).to.equal(300 + 500 + 1000 + 200);
  });

  it('shows cluster capacity with percentages and conditions on clusters', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ clusters { items { id conditions { type status }
          capacity { allocatable { cpuMillis pods } requested { cpuMillis pods } limits { cpuMillis }
            requestedPercent { cpu memory pods } } } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const clusters: Row[] = r.data.clusters.items;
    expect(clusters.map((c) => c.id)).to.have.members(['one', 'two', 'three']);
    for (const c of clusters) {
      expect(c.capacity.requested.cpuMillis).to.equal(2000);
      expect(c.capacity.limits.cpuMillis).to.equal(3 * 500 + 2 * 1000);
      expect(c.capacity.requestedPercent.cpu).to.be.within(0.01, 100);
      expect(c.conditions.find((x: { type: string }) => x.type === 'Ready').status).to.equal(
        'True',
      );
    }
  });

  it('lists storage classes, namespaces with their project, and projects', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ storageClasses(filter: { clusterIds: ["one"] }) { items { name provisioner isDefault } }
         namespaces(filter: { clusterIds: ["one"], nameContains: "shop" }) { items { name projectId project { name } } }
         projects { items { id name namespaces members { roleTemplateId } } clusterErrors { clusterId } } }`,
    );
    expect(r.errors).to.equal(undefined);
    expect(r.data.storageClasses.items).to.deep.equal([
      { name: 'standard', provisioner: 'rancher.io/local-path', isDefault: true },
    ]);
    expect(r.data.namespaces.items).to.deep.equal([
      { name: 'shop', projectId: 'one:p-shop', project: { name: 'Shop' } },
    ]);
    expect(r.data.projects.items).to.deep.equal([
      {
        id: 'one:p-shop',
        name: 'Shop',
        namespaces: ['shop'],
        members: [{ roleTemplateId: 'project-member' }],
      },
    ]);
  });

  it('shows a project member only the namespaces of its project, and no nodes', async () => {
    const r = await p.graphql(
      p.users.member,
      `{ namespaces { items { clusterId name } clusterErrors { clusterId code } }
         nodes { items { name } clusterErrors { clusterId code retryable } }
         projects { items { id } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const ns = r.data.namespaces;
    expect(ns.items).to.deep.equal([{ clusterId: 'one', name: 'shop' }]);
    expect(clusterErrorsOf(ns)).to.deep.equal(['three:FORBIDDEN', 'two:FORBIDDEN']);
    const nodes = r.data.nodes;
    expect(nodes.items).to.deep.equal([]);
    expect(clusterErrorsOf(nodes)).to.deep.equal([
      'one:FORBIDDEN',
      'three:FORBIDDEN',
      'two:FORBIDDEN',
    ]);
    expect(r.data.projects.items).to.deep.equal([{ id: 'one:p-shop' }]);
  });
});
