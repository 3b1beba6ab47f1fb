/**
 * A caller with access to one namespace of one cluster (the member: `edit` in `one/shop`)
 * tries to learn about everything else through the fleet index: filters that select other
 * namespaces, facets and totals that would count them, a text search, a sort, and a forged
 * cursor. Every answer must be what the member may see, and nothing more, and must shrink as
 * soon as the downstream RBAC takes the access away.
 */
import { expect } from 'chai';
import { waitFor } from '../../support/wait-for.js';
import {
  CLUSTERS,
  type GraphQLWithKubesim,
  type Row,
  startGraphQLWithKubesim,
} from './support/graphql-with-kubesim.js';

const LIST = (field: string) => `query L($filter: KubeFilter, $orderBy: KubeOrder, $after: String) {
  ${field}(first: 500, filter: $filter, orderBy: $orderBy, after: $after) {
    items { clusterId namespace name }
    clusterErrors { clusterId code }
    facets { total clusters { value count } namespaces { value count } phases { value count } }
  }
}`;

describe('the fleet index against a caller fishing for what it may not see', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;

  before(async () => {
    p = await startGraphQLWithKubesim({ fleetIndex: true });
    await waitFor(
      'the index',
      () => (CLUSTERS.every((c) => p.fleetIndex?.clusterStatus(c)?.synced) ? true : undefined),
      { timeoutMs: 30_000 },
    );
  });
  after(async () => {
    await p?.stop();
  });

  async function ask(field: string, variables: Record<string, unknown>) {
    const r = await p.graphql(p.users.member, LIST(field), variables);
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data[field];
  }

  const onlyShop = (list: { items: Row[] }) =>
    expect(list.items.every((i) => i.clusterId === 'one' && i.namespace === 'shop')).to.equal(true);

  it('shows and counts only its namespace, whatever the filter names', async () => {
    const plain = await ask('pods', {});
    onlyShop(plain);
    expect(plain.items).to.have.length(5);
    expect(plain.facets.total).to.equal(5);
    expect(plain.facets.clusters).to.deep.equal([{ value: 'one', count: 5 }]);
    expect(plain.facets.namespaces).to.deep.equal([{ value: 'shop', count: 5 }]);

    const probes: Record<string, unknown>[] = [
      { namespaces: ['payments', 'monitoring', 'kube-system'] },
      { labelSelector: 'app=api' },
      { labelSelector: 'app in (api,worker,prometheus)' },
      { search: 'payments' },
      { search: 'prometheus' },
      { namePrefix: 'api-' },
      { phases: ['Running'], namespaces: ['payments'] },
      { minRestarts: 1 },
      { projectIds: ['one:p-other'] },
      { clusterIds: ['two', 'three'] },
    ];
    for (const filter of probes) {
      const list = await ask('pods', { filter, orderBy: { field: 'CREATED', direction: 'DESC' } });
      expect(list.items, JSON.stringify(filter)).to.deep.equal([]);
      expect(list.facets.total, JSON.stringify(filter)).to.equal(0);
      expect(list.facets.clusters, JSON.stringify(filter)).to.deep.equal([]);
      expect(list.facets.namespaces, JSON.stringify(filter)).to.deep.equal([]);
      expect(list.facets.phases, JSON.stringify(filter)).to.deep.equal([]);
    }
  });

  it('gains nothing from other kinds, cluster-scoped ones, or a sort', async () => {
    for (const field of ['deployments', 'services', 'configMaps', 'persistentVolumeClaims']) {
      const list = await ask(field, { orderBy: { field: 'NAME', direction: 'DESC' } });
      onlyShop(list);
      expect(
        list.facets.namespaces.map((n: Row) => n.value),
        field,
      ).to.deep.include.members(list.items.length > 0 ? ['shop'] : []);
      expect(
        list.facets.namespaces.every((n: Row) => n.value === 'shop'),
        field,
      ).to.equal(true);
    }
    for (const field of ['nodes', 'persistentVolumes', 'storageClasses']) {
      const list = await ask(field, {});
      expect(list.items, field).to.deep.equal([]);
      expect(list.facets.total, field).to.equal(0);
    }
    const namespaces = await p.graphql(
      p.users.member,
      '{ namespaces(first: 500) { items { clusterId name } facets { total clusters { value count } } } }',
    );
    expect(namespaces.data.namespaces.items).to.deep.equal([{ clusterId: 'one', name: 'shop' }]);
    expect(namespaces.data.namespaces.facets.total).to.equal(1);
  });

  it('learns nothing from a forged cursor placed before everything', async () => {
    const forged = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
    for (const [after, orderBy] of [
      [forged({ c: '', k: '', g: '', s: 0 }), undefined],
      [forged({ o: 'NAME', d: false, v: ['', '', ''] }), { field: 'NAME' }],
      [
        forged({ o: 'CREATED', d: true, v: [9e15, 'zzz', 'zzz'] }),
        { field: 'CREATED', direction: 'DESC' },
      ],
    ] as const) {
      const list = await ask('pods', { after, ...(orderBy ? { orderBy } : {}) });
      onlyShop(list);
      expect(list.items.length).to.be.at.most(5);
    }
  });

  it('loses what the downstream RBAC takes away, as soon as the cluster says so', async () => {
    const rbac = p.sim.cluster('one').sim;
    const binding = rbac.get(
      'rolebindings.rbac.authorization.k8s.io',
      'shop',
      'paddock-member-edit',
    );
    expect(binding).to.not.equal(undefined);
    rbac.store.remove('rolebindings.rbac.authorization.k8s.io', 'shop', 'paddock-member-edit');
    await waitFor('the member to see nothing', async () => {
      const list = await ask('pods', {});
      return list.items.length === 0 && list.facets.total === 0 ? true : undefined;
    });
    const list = await ask('pods', {});
    expect(list.clusterErrors.map((e: Row) => `${e.clusterId}:${e.code}`)).to.deep.equal([
      'one:FORBIDDEN',
      'three:FORBIDDEN',
      'two:FORBIDDEN',
    ]);
  });
});
