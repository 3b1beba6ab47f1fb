import { expect } from 'chai';
import { kubectl } from '../authproxy/support/kubectl.js';
import {
  type GraphQLWithKubesim,
  startGraphQLWithKubesim,
} from './support/graphql-with-kubesim.js';
import { type Subscribed, subscribe } from './support/subscribe.js';

const CHANGES = `subscription Changes($cluster: ID!, $ns: String, $initial: Boolean) {
  resourceChanges(clusterId: $cluster, apiVersion: "v1", kind: "ConfigMap", namespace: $ns, sendInitial: $initial) {
    type clusterId namespace name object
  }
}`;

describe('GraphQL subscriptions against kubesim', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;
  const open: Subscribed[] = [];

  before(async () => {
    p = await startGraphQLWithKubesim();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.stop()));
  });
  after(async () => {
    await p?.stop();
  });

  const sub = (token: string, query: string, variables: Record<string, unknown>) => {
    const s = subscribe(p.url, p.caPem, token, query, variables);
    open.push(s);
    return s;
  };
  const changes = (s: Subscribed) =>
    s.events.map((e) => `${e.resourceChanges.type} ${e.resourceChanges.name}`);

  it('delivers create, update and delete of config maps in a namespace, watched as the caller', async () => {
    const s = sub(p.users.member.token, CHANGES, { cluster: 'one', ns: 'shop', initial: true });
    // The watch resumes from the list's version, so once the current objects arrived no later
    // change can be missed.
    await s.waitFor((e) => e.length >= 2);
    expect(changes(s)).to.deep.equal(['ADDED frontend-config', 'ADDED kube-root-ca.crt']);
    s.events.length = 0;
    const admin = await p.adminKubeconfig('one');
    expect(
      (await kubectl(admin, ['create', 'configmap', 'live', '-n', 'shop', '--from-literal=a=1']))
        .code,
    ).to.equal(0);
    await s.waitFor((e) => e.length >= 1);
    expect(
      (await kubectl(admin, ['label', 'configmap', 'live', '-n', 'shop', 'x=y'])).code,
    ).to.equal(0);
    await s.waitFor((e) => e.length >= 2);
    expect((await kubectl(admin, ['delete', 'configmap', 'live', '-n', 'shop'])).code).to.equal(0);
    await s.waitFor((e) => e.length >= 3);
    expect(changes(s)).to.deep.equal(['ADDED live', 'MODIFIED live', 'DELETED live']);
    expect(s.events[1]?.resourceChanges.object.metadata.labels).to.deep.equal({ x: 'y' });
    expect(s.events[0]?.resourceChanges.object.kind).to.equal('ConfigMap');
  });

  it('sends the current objects first when asked', async () => {
    const s = sub(p.users.admin.token, CHANGES, { cluster: 'two', ns: 'payments', initial: true });
    await s.waitFor((e) => e.length >= 2);
    expect(changes(s)).to.deep.equal(['ADDED kube-root-ca.crt', 'ADDED payments-settings']);
  });

  it('refuses a watch the caller may not make, as kubectl get -w would', async () => {
    const s = sub(p.users.member.token, CHANGES, { cluster: 'one', ns: 'payments' });
    const deadline = Date.now() + 10_000;
    while (s.errors.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(s.errors[0]?.extensions?.code).to.equal('FORBIDDEN');
    const r = await kubectl(await p.users.member.kubeconfig('one'), [
      'get',
      'configmaps',
      '-n',
      'payments',
    ]);
    expect(r.code).not.to.equal(0);
    expect(r.stderr).to.match(/forbidden/i);
  });

  it('bounds the subscriptions open per user', async () => {
    // The harness allows three per user.
    const subs = [0, 1, 2].map(() =>
      sub(p.users.nobody.token, 'subscription { clusterStatusChanges { clusterId state } }', {}),
    );
    await Promise.all(subs.map((s) => s.waitFor((e) => e.length >= 3)));
    const fourth = sub(
      p.users.nobody.token,
      'subscription { clusterStatusChanges { clusterId state } }',
      {},
    );
    const deadline = Date.now() + 10_000;
    while (fourth.errors.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(fourth.errors[0]?.extensions?.code).to.equal('TOO_MANY_REQUESTS');
    await subs[0]!.stop();
    const again = sub(
      p.users.nobody.token,
      'subscription { clusterStatusChanges { clusterId state } }',
      {},
    );
    await again.waitFor((e) => e.length >= 3);
  });

  it('reports cluster status changes', async () => {
    const s = sub(
      p.users.admin.token,
      'subscription { clusterStatusChanges(clusterIds: ["three"]) { clusterId state previousState } }',
      {},
    );
    await s.waitFor((e) => e.length >= 1);
    expect(s.events[0]?.clusterStatusChanges, JSON.stringify(s.events)).to.deep.equal({
      clusterId: 'three',
      state: 'ACTIVE',
      previousState: null,
    });
    await p.sim.cluster('three').setFaults({ down: true });
    try {
      // One failed probe is only `degraded`; the second in a row makes it unavailable.
      await p.registry.probe('three');
      await s.waitFor((e) => e.length >= 2);
      expect(s.events[1]?.clusterStatusChanges).to.deep.equal({
        clusterId: 'three',
        state: 'DEGRADED',
        previousState: 'ACTIVE',
      });
      await p.registry.probe('three');
      await s.waitFor((e) => e.length >= 3);
      expect(s.events[2]?.clusterStatusChanges).to.deep.equal({
        clusterId: 'three',
        state: 'UNAVAILABLE',
        previousState: 'DEGRADED',
      });
    } finally {
      await p.sim.cluster('three').clearFaults();
      await p.registry.probe('three');
      await p.registry.probe('three');
    }
  });
});
