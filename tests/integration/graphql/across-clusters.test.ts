import { expect } from 'chai';
import { kubectl } from '../authproxy/support/kubectl.js';
import {
  CLUSTERS,
  clusterErrorsOf,
  type GraphQLWithKubesim,
  type Row,
  startGraphQLWithKubesim,
  type TestUser,
} from './support/graphql-with-kubesim.js';

const PODS = `query Pods($first: Int, $after: String, $filter: KubeFilter) {
  pods(first: $first, after: $after, filter: $filter) {
    items { clusterId namespace name }
    pageInfo { endCursor hasNextPage }
    clusterErrors { clusterId code message retryable }
  }
}`;

const idOf = (i: Row) => `${i.clusterId}/${i.namespace}/${i.name}`;

describe('GraphQL across clusters against kubesim', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;

  before(async () => {
    p = await startGraphQLWithKubesim({ fanOutDeadlineMs: 1_500 });
  });
  after(async () => {
    await p?.stop();
  });
  afterEach(async () => {
    for (const c of CLUSTERS) await p.sim.cluster(c).clearFaults();
  });

  async function allPages(
    user: TestUser,
    first: number,
    between?: (page: number) => Promise<void>,
  ) {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const r = await p.graphql(user, PODS, { first, after });
      expect(r.errors).to.equal(undefined);
      const items: Row[] = r.data.pods.items;
      expect(items.length).to.be.at.most(first);
      seen.push(...items.map(idOf));
      if (!r.data.pods.pageInfo.hasNextPage) return seen;
      after = r.data.pods.pageInfo.endCursor;
      await between?.(page);
    }
    throw new Error('pagination did not end');
  }

  async function kubectlPods(user: TestUser): Promise<string[]> {
    const out: string[] = [];
    for (const c of CLUSTERS) {
      const r = await kubectl(await user.kubeconfig(c), ['get', 'pods', '-A', '-o', 'json']);
      if (r.code !== 0) continue;
      const list = JSON.parse(r.stdout) as { items: Row[] };
      out.push(...list.items.map((i) => `${c}/${i.metadata.namespace}/${i.metadata.name}`));
    }
    return out;
  }

  it('pages through every pod of three clusters without skipping or repeating, as kubectl lists them', async () => {
    const seen = await allPages(p.users.admin, 4);
    expect(new Set(seen).size).to.equal(seen.length);
    expect([...seen].sort()).to.deep.equal((await kubectlPods(p.users.admin)).sort());
    expect(seen).to.have.length(27);
  });

  it('neither skips nor repeats when objects are created and deleted between pages', async () => {
    const before = new Set(await allPages(p.users.admin, 5));
    const admin = await p.adminKubeconfig('one');
    const seen = await allPages(p.users.admin, 5, async (page) => {
      if (page === 0) {
        // One pod before the cursor, one after it; and one already shown is deleted.
        await kubectl(admin, ['run', 'aaa-early', '-n', 'monitoring', '--image=busybox']);
        await kubectl(admin, ['run', 'zzz-late', '-n', 'shop', '--image=busybox']);
      }
    });
    expect(new Set(seen).size).to.equal(seen.length);
    for (const id of before) expect(seen, id).to.include(id);
    expect(seen).to.include('one/shop/zzz-late');
    await kubectl(admin, ['delete', 'pod', 'aaa-early', '-n', 'monitoring', '--wait=false']);
    await kubectl(admin, ['delete', 'pod', 'zzz-late', '-n', 'shop', '--wait=false']);
  });

  it('filters by cluster, project, namespace, label selector and name', async () => {
    const byLabel = await p.graphql(p.users.admin, PODS, { filter: { labelSelector: 'app=cart' } });
    expect((byLabel.data.pods.items as Row[]).map((i) => i.clusterId)).to.deep.equal([
      'one',
      'one',
      'three',
      'three',
      'two',
      'two',
    ]);
    const byProject = await p.graphql(p.users.admin, PODS, {
      filter: { projectIds: ['one:p-shop'], nameContains: 'front' },
    });
    expect(
      new Set((byProject.data.pods.items as Row[]).map((i) => `${i.clusterId}/${i.namespace}`)),
    ).to.deep.equal(new Set(['one/shop']));
    expect(byProject.data.pods.items).to.have.length(3);
    const byNamespace = await p.graphql(p.users.admin, PODS, {
      filter: { clusterIds: ['two', 'three'], namespaces: ['monitoring', 'payments'] },
    });
    expect(
      (byNamespace.data.pods.items as Row[])
        .map(idOf)
        .every((id) => /^(two|three)\/(monitoring|payments)\//.test(id)),
    ).to.equal(true);
    expect(byNamespace.data.pods.items).to.have.length(8);
  });

  it("answers with the other clusters' data and an UNREACHABLE entry when a cluster is down", async () => {
    await p.sim.cluster('two').setFaults({ down: true });
    const started = Date.now();
    const r = await p.graphql(p.users.admin, PODS, { first: 100 });
    expect(Date.now() - started).to.be.lessThan(3_000);
    expect(r.errors).to.equal(undefined);
    expect(new Set((r.data.pods.items as Row[]).map((i) => i.clusterId))).to.deep.equal(
      new Set(['one', 'three']),
    );
    expect(clusterErrorsOf(r.data.pods)).to.deep.equal(['two:UNREACHABLE']);
    expect(r.data.pods.clusterErrors[0].retryable).to.equal(true);
  });

  it('answers within the per-cluster deadline with a TIMEOUT entry when a cluster is slow', async () => {
    await p.sim.cluster('three').setFaults({ latency: 10_000 });
    const started = Date.now();
    const r = await p.graphql(p.users.admin, PODS, { first: 100 });
    const took = Date.now() - started;
    expect(took).to.be.lessThan(1_500 + 1_000);
    expect(new Set((r.data.pods.items as Row[]).map((i) => i.clusterId))).to.deep.equal(
      new Set(['one', 'two']),
    );
    expect(clusterErrorsOf(r.data.pods)).to.deep.equal(['three:TIMEOUT']);
  });

  it('shows each role what kubectl through the proxy shows', async () => {
    for (const user of [p.users.admin, p.users.member, p.users.nobody]) {
      const graphql = await allPages(user, 7);
      const viaKubectl = await kubectlPods(user);
      if (user === p.users.member) {
        // kubectl -A is forbidden for a project member; its project namespace is what it reads.
        expect(viaKubectl).to.deep.equal([]);
        const r = await kubectl(await user.kubeconfig('one'), [
          'get',
          'pods',
          '-n',
          'shop',
          '-o',
          'name',
        ]);
        expect(r.code, r.stderr).to.equal(0);
        expect(graphql.map((id) => id.replace(/^one\/shop\//, 'pod/')).sort()).to.deep.equal(
          r.stdout.trim().split('\n').sort(),
        );
      } else {
        expect([...graphql].sort(), user.name).to.deep.equal(viaKubectl.sort());
      }
    }
  });
});
