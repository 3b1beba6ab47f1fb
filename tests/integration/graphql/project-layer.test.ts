import { expect } from 'chai';
import { testTlsMaterial } from '../../unit/datasources/support/fake-api-server.js';
import {
  clusterErrorsOf,
  type GraphQLWithKubesim,
  type Row,
  startGraphQLWithKubesim,
} from './support/graphql-with-kubesim.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('GraphQL project layer against kubesim', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;

  before(async () => {
    p = await startGraphQLWithKubesim();
    const one = p.sim.cluster('one');
    const tls = await testTlsMaterial();
    one.create('secrets', {
      metadata: { name: 'shop-tls', namespace: 'shop' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(tls.certPem), 'tls.key': b64(tls.keyPem) },
    });
    one.create('secrets', {
      metadata: { name: 'ghcr', namespace: 'shop' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': b64(
          JSON.stringify({
            auths: { 'ghcr.io': { auth: b64('robot:hunter2'), email: 'r@example.org' } },
          }),
        ),
      },
    });
  });
  after(async () => {
    await p?.stop();
  });

  it('lists deployments with images, replicas and readiness', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ deployments(filter: { clusterIds: ["one"], namespaces: ["shop"] }) {
          items { kind name images replicas readyReplicas ready revision conditions { type } } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const items: Row[] = r.data.deployments.items;
    expect(
      items.map((d) => [d.kind, d.name, d.images, d.replicas, d.readyReplicas, d.ready]),
    ).to.deep.equal([
      ['DEPLOYMENT', 'cart', ['redis:7.2'], 2, 2, true],
      ['DEPLOYMENT', 'frontend', ['nginx:1.27'], 3, 3, true],
    ]);
  });

  it('lists pods with phase, restarts, node and containers', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ pods(filter: { clusterIds: ["two"], namespaces: ["payments"], nameContains: "worker" }) {
          items { name phase restarts nodeName ready ownerKind containers { name image ready restartCount state reason } } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const [pod] = r.data.pods.items as Row[];
    expect(pod?.restarts).to.equal(7);
    expect(pod?.ready).to.equal(false);
    expect(pod?.nodeName).to.match(/^two-worker-/);
    expect(pod?.containers[0]).to.include({ state: 'waiting', reason: 'CrashLoopBackOff' });
  });

  it('lists services with ports, selector, DNS name and endpoints, and ingresses with rules', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ services(filter: { clusterIds: ["one"], namespaces: ["shop"], nameContains: "frontend" }) {
          items { name type dnsName selector ports { port targetPort protocol } endpoints { ip ready podName } } }
         ingresses(filter: { clusterIds: ["one"] }) { items { name rules { host paths { path backend { serviceName servicePort } } } tls { hosts } } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const [svc] = r.data.services.items as Row[];
    expect(svc).to.include({ name: 'frontend', dnsName: 'frontend.shop.svc.cluster.local' });
    expect(svc?.selector).to.deep.equal({ app: 'frontend' });
    expect(svc?.ports[0].port).to.equal(80);
    expect(svc?.endpoints).to.have.length(3);
    const [ing] = r.data.ingresses.items as Row[];
    expect(ing?.rules[0].paths[0].backend.serviceName).to.equal('frontend');
  });

  it('shows secret key names, values only when asked, and never registry passwords or TLS keys', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ secrets(filter: { clusterIds: ["one"], namespaces: ["payments"] }) { items { name type keys values(keys: ["username"]) } }
         registryCredentials(filter: { clusterIds: ["one"] }) { items { name registries { server username email } } }
         certificates(filter: { clusterIds: ["one"] }) { items { name valid subject issuer subjectAltNames notAfter } }
         tls: secrets(filter: { clusterIds: ["one"], nameContains: "shop-tls" }) { items { keys values } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const [secret] = r.data.secrets.items as Row[];
    expect(secret).to.deep.equal({
      name: 'payments-db',
      type: 'Opaque',
      keys: ['password', 'username'],
      values: { username: 'payments' },
    });
    expect(r.data.registryCredentials.items).to.deep.equal([
      {
        name: 'ghcr',
        registries: [{ server: 'ghcr.io', username: 'robot', email: 'r@example.org' }],
      },
    ]);
    expect(JSON.stringify(r.data)).not.to.include('hunter2');
    const [cert] = r.data.certificates.items as Row[];
    expect(cert?.valid).to.equal(true);
    expect(cert?.subjectAltNames).to.include('DNS:localhost');
    expect(cert?.issuer).to.include('Paddock test CA');
    expect(new Date(cert?.notAfter).getTime()).to.be.greaterThan(Date.now());
    const [tls] = r.data.tls.items as Row[];
    expect(tls?.keys).to.deep.equal(['tls.crt', 'tls.key']);
    expect(Object.keys(tls?.values)).to.deep.equal(['tls.crt']);
  });

  it('returns objects of any kind as JSON', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ kubernetesObjects(clusterId: "three", apiVersion: "apps/v1", kind: "ReplicaSet", namespace: "monitoring") {
          items clusterErrors { code } } }`,
    );
    expect(r.errors).to.equal(undefined);
    const items: Row[] = r.data.kubernetesObjects.items;
    expect(items.map((i) => i.metadata.name)).to.have.length(1);
    expect(items[0]?.kind).to.equal('ReplicaSet');
  });

  it('refuses values of a registry credential with FORBIDDEN', async () => {
    const r = await p.graphql(
      p.users.admin,
      `{ secrets(filter: { clusterIds: ["one"], nameContains: "ghcr" }) { items { name values } } }`,
    );
    expect(r.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    expect(JSON.stringify(r)).not.to.include('hunter2');
  });

  it('shows a project member the pods of its project and FORBIDDEN for other clusters', async () => {
    const r = await p.graphql(
      p.users.member,
      '{ pods { items { clusterId namespace name } clusterErrors { clusterId code } } }',
    );
    expect(r.errors).to.equal(undefined);
    const items: Row[] = r.data.pods.items;
    expect(new Set(items.map((i) => `${i.clusterId}/${i.namespace}`))).to.deep.equal(
      new Set(['one/shop']),
    );
    expect(items).to.have.length(5);
    expect(clusterErrorsOf(r.data.pods)).to.deep.equal(['three:FORBIDDEN', 'two:FORBIDDEN']);
  });

  it('shows a user without bindings nothing, with FORBIDDEN for every cluster', async () => {
    const r = await p.graphql(
      p.users.nobody,
      '{ deployments { items { name } clusterErrors { clusterId code } } }',
    );
    expect(r.errors).to.equal(undefined);
    expect(r.data.deployments.items).to.deep.equal([]);
    expect(clusterErrorsOf(r.data.deployments)).to.deep.equal([
      'one:FORBIDDEN',
      'three:FORBIDDEN',
      'two:FORBIDDEN',
    ]);
  });
});
