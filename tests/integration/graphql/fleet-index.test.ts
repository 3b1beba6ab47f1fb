import { expect } from 'chai';
import { openGraphQLSocket } from '../../support/graphql-socket.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl } from '../authproxy/support/kubectl.js';
import {
  CLUSTERS,
  clusterErrorsOf,
  type GraphQLWithKubesim,
  type Row,
  startGraphQLWithKubesim,
  type TestUser,
} from './support/graphql-with-kubesim.js';

const PODS = `query Pods($first: Int, $after: String, $filter: KubeFilter, $orderBy: KubeOrder) {
  pods(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    items { clusterId namespace name phase restarts createdAt }
    pageInfo { endCursor hasNextPage }
    clusterErrors { clusterId code }
    sources { clusterId source stale ageMs syncedAt reason }
    facets { total clusters { value count } namespaces { value count } phases { value count } }
  }
}`;

const idOf = (i: Row) => `${i.clusterId}/${i.namespace}/${i.name}`;

describe('GraphQL lists from the fleet index against kubesim', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;

  before(async () => {
    p = await startGraphQLWithKubesim({ fleetIndex: true });
    await waitFor(
      'the index of all three clusters',
      () => (CLUSTERS.every((c) => p.fleetIndex?.clusterStatus(c)?.synced) ? true : undefined),
      { timeoutMs: 30_000 },
    );
  });
  after(async () => {
    await p?.stop();
  });
  afterEach(async () => {
    for (const c of CLUSTERS) await p.sim.cluster(c).clearFaults();
    p.settings.clear();
    await p.fleetIndex?.refresh();
  });

  async function pods(user: TestUser, variables: Record<string, unknown> = {}) {
    const r = await p.graphql(user, PODS, variables);
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data.pods;
  }

  async function allPages(user: TestUser, first: number, variables: Record<string, unknown> = {}) {
    const seen: Row[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const list = await pods(user, { ...variables, first, after });
      seen.push(...list.items);
      if (!list.pageInfo.hasNextPage) return seen;
      after = list.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  }

  it('answers from the index, showing each role exactly what kubectl through the proxy shows', async () => {
    const admin = await pods(p.users.admin, { first: 1 });
    expect(admin.sources.map((s: Row) => `${s.clusterId}:${s.source}:${s.stale}`)).to.deep.equal([
      'one:INDEX:false',
      'three:INDEX:false',
      'two:INDEX:false',
    ]);
    for (const user of [p.users.admin, p.users.member, p.users.nobody]) {
      const shown = (await allPages(user, 4)).map(idOf);
      expect(new Set(shown).size, user.name).to.equal(shown.length);
      const expected: string[] = [];
      for (const c of CLUSTERS) {
        const all = await kubectl(await user.kubeconfig(c), ['get', 'pods', '-A', '-o', 'json']);
        if (all.code === 0) {
          for (const i of JSON.parse(all.stdout).items as Row[])
            expected.push(`${c}/${i.metadata.namespace}/${i.metadata.name}`);
          continue;
        }
        const shop = await kubectl(await user.kubeconfig(c), [
          'get',
          'pods',
          '-n',
          'shop',
          '-o',
          'json',
        ]);
        if (shop.code === 0) {
          for (const i of JSON.parse(shop.stdout).items as Row[])
            expected.push(`${c}/shop/${i.metadata.name}`);
        }
      }
      expect([...shown].sort(), user.name).to.deep.equal(expected.sort());
    }
    expect(clusterErrorsOf(await pods(p.users.nobody))).to.deep.equal([
      'one:FORBIDDEN',
      'three:FORBIDDEN',
      'two:FORBIDDEN',
    ]);
  });

  it('sorts and filters across clusters: pods not running newest first, a label sorted by name, most restarts', async () => {
    const sim = p.sim.cluster('two').sim;
    sim.create('pods', {
      metadata: { name: 'stuck', namespace: 'payments', labels: { app: 'stuck' } },
      spec: { nodeSelector: { nowhere: 'true' }, containers: [{ name: 'c', image: 'busybox' }] },
    });
    const notRunning = await waitFor('the pending pod in the index', async () => {
      const list = await pods(p.users.admin, {
        filter: { notPhases: ['Running'] },
        orderBy: { field: 'CREATED', direction: 'DESC' },
      });
      return list.items.length > 0 ? list : undefined;
    });
    expect(notRunning.items.map(idOf)).to.deep.equal(['two/payments/stuck']);
    expect(notRunning.items[0].phase).to.equal('Pending');
    expect(notRunning.facets.total).to.equal(1);

    const carts = await allPages(p.users.admin, 4, {
      filter: { labelSelector: 'app=cart' },
      orderBy: { field: 'NAME' },
    });
    const names = carts.map((i) => i.name);
    expect(names).to.have.length(6);
    expect(names).to.deep.equal([...names].sort());

    const restarts = await pods(p.users.admin, {
      first: 3,
      orderBy: { field: 'RESTARTS', direction: 'DESC' },
    });
    expect(restarts.items.map((i: Row) => i.restarts)).to.deep.equal([7, 7, 7]);
    const newest = await allPages(p.users.admin, 5, {
      orderBy: { field: 'CREATED', direction: 'DESC' },
    });
    const times = newest.map((i) => Date.parse(i.createdAt));
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    expect(newest).to.have.length(28);
    sim.store.remove('pods', 'payments', 'stuck');
  });

  it('counts facets over every match, and searches names, namespaces and labels', async () => {
    const list = await pods(p.users.admin, { first: 2 });
    expect(list.facets.total).to.equal(27);
    expect(list.facets.clusters).to.deep.equal([
      { value: 'one', count: 9 },
      { value: 'three', count: 9 },
      { value: 'two', count: 9 },
    ]);
    expect(list.facets.namespaces).to.deep.equal([
      { value: 'shop', count: 15 },
      { value: 'payments', count: 9 },
      { value: 'monitoring', count: 3 },
    ]);
    const found = await pods(p.users.admin, { filter: { search: 'PROMETH', clusterIds: ['one'] } });
    expect(found.items.map(idOf)).to.have.length(1);
    expect(found.items[0].name).to.match(/^prometheus-/);
  });

  it('follows changes: a new pod is listed and a deleted one is gone, without asking the cluster', async () => {
    p.sim.cluster('three').sim.create('pods', {
      metadata: { name: 'aaa-new', namespace: 'monitoring' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await waitFor('the new pod', async () =>
      (await pods(p.users.admin, { filter: { namePrefix: 'aaa-' } })).items.length === 1
        ? true
        : undefined,
    );
    p.sim.cluster('three').sim.store.remove('pods', 'monitoring', 'aaa-new');
    await waitFor('the pod gone', async () =>
      (await pods(p.users.admin, { filter: { namePrefix: 'aaa-' } })).items.length === 0
        ? true
        : undefined,
    );
  });

  it('keeps serving a cluster whose watch broke, marked stale with the age of its copy', async () => {
    await p.sim.cluster('two').setFaults({ down: true });
    p.sim.cluster('two').dropWatches();
    const list = await waitFor('two marked stale', async () => {
      const l = await pods(p.users.admin, { first: 100 });
      const two = l.sources.find((s: Row) => s.clusterId === 'two');
      return two.stale && two.ageMs > 0 ? l : undefined;
    });
    expect(list.items.filter((i: Row) => i.clusterId === 'two')).to.have.length(9);
    expect(list.sources.find((s: Row) => s.clusterId === 'one').stale).to.equal(false);
  });

  it('reads a cluster live, as the caller, when its authorization is said to be more than RBAC', async () => {
    p.settings.set('fleet-index-live-clusters', 'three');
    await p.fleetIndex?.refresh();
    const list = await pods(p.users.admin, { first: 100, orderBy: { field: 'NAME' } });
    const three = list.sources.find((s: Row) => s.clusterId === 'three');
    expect(three.source).to.equal('LIVE');
    expect(three.reason).to.match(/more than RBAC/);
    expect(list.items.filter((i: Row) => i.clusterId === 'three')).to.have.length(9);
    expect(list.facets.total).to.equal(27);
    const member = await pods(p.users.member, { first: 100 });
    expect(clusterErrorsOf(member)).to.deep.equal(['three:FORBIDDEN', 'two:FORBIDDEN']);
  });

  it('refuses to sort a kind the index does not serve', async () => {
    const r = await p.graphql(
      p.users.admin,
      '{ secrets(filter: { search: "x" }) { items { name } } }',
    );
    expect(r.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).to.match(/need the fleet index, which does not serve secrets/);
  });

  it('streams fleet-wide changes from the index to every subscriber, each filtered by its own watch rights', async () => {
    const subscribe = (token: string) => {
      const socket = openGraphQLSocket(p.url, token, { caPem: p.caPem });
      const seen: string[] = [];
      socket.client.subscribe(
        {
          query: `subscription { fleetChanges(apiVersion: "v1", kind: "Pod", filter: { labelSelector: "watch=me" }) {
            type clusterId namespace name } }`,
        },
        {
          next: (v) => {
            const c = (v.data as { fleetChanges: Row }).fleetChanges;
            seen.push(`${c.type} ${c.clusterId}/${c.namespace}/${c.name}`);
          },
          error: (err) => seen.push(`error ${JSON.stringify(err)}`),
          complete: () => undefined,
        },
      );
      return { socket, seen };
    };
    const admin = subscribe(p.users.admin.token);
    const member = subscribe(p.users.member.token);
    const nobody = subscribe(p.users.nobody.token);
    // The subscriptions are running once a change made now reaches the admin.
    const pod = (name: string, ns: string, labels: Record<string, string>) => ({
      metadata: { name, namespace: ns, labels },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    try {
      await waitFor('the admin subscription', async () => {
        p.sim
          .cluster('one')
          .sim.create('pods', pod(`probe-${Date.now()}`, 'default', { watch: 'me' }));
        await new Promise((r) => setTimeout(r, 100));
        return admin.seen.length > 0 ? true : undefined;
      });
      const before = { admin: admin.seen.length, member: member.seen.length };
      p.sim.cluster('one').sim.create('pods', pod('w-shop', 'shop', { watch: 'me' }));
      p.sim.cluster('two').sim.create('pods', pod('w-payments', 'payments', { watch: 'me' }));
      p.sim.cluster('one').sim.create('pods', pod('w-other', 'shop', { other: 'x' }));
      await waitFor('both changes at the admin', () =>
        admin.seen.some((e) => e.endsWith('two/payments/w-payments')) &&
        admin.seen.some((e) => e.endsWith('one/shop/w-shop'))
          ? true
          : undefined,
      );
      await waitFor('the shop change at the member', () =>
        member.seen.some((e) => e.startsWith('ADDED one/shop/w-shop')) ? true : undefined,
      );
      // Relabelled out of the filter: a DELETED, as a filtered watch reports it.
      const moved = p.sim.cluster('one').sim.get('pods', 'shop', 'w-shop')!;
      moved.metadata.labels = { watch: 'no' };
      p.sim.cluster('one').sim.store.put('pods', moved, 'MODIFIED');
      await waitFor('the move out at the member', () =>
        member.seen.includes('DELETED one/shop/w-shop') ? true : undefined,
      );
      expect(member.seen.slice(before.member).every((e) => e.includes(' one/shop/'))).to.equal(
        true,
      );
      expect(admin.seen.some((e) => e.includes('w-other'))).to.equal(false);
      expect(nobody.seen).to.deep.equal([]);
    } finally {
      for (const s of [admin, member, nobody]) await s.socket.dispose();
      for (const [c, ns, name] of [
        ['one', 'shop', 'w-shop'],
        ['two', 'payments', 'w-payments'],
        ['one', 'shop', 'w-other'],
      ] as const)
        p.sim.cluster(c).sim.store.remove('pods', ns, name);
    }
  });
});
