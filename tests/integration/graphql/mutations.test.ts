import { expect } from 'chai';
import { testTlsMaterial } from '../../unit/datasources/support/fake-api-server.js';
import {
  type GraphQLWithKubesim,
  type Row,
  startGraphQLWithKubesim,
} from './support/graphql-with-kubesim.js';

const DEPLOY = `mutation Deploy($input: DeployWorkloadInput!) {
  deployWorkload(input: $input) { kind name images replicas revision }
}`;
const REF = { clusterId: 'one', namespace: 'apps', kind: 'DEPLOYMENT', name: 'web' };

describe('GraphQL mutations against kubesim', function () {
  this.timeout(120_000);
  let p: GraphQLWithKubesim;

  before(async () => {
    p = await startGraphQLWithKubesim();
  });
  after(async () => {
    await p?.stop();
  });

  async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('creates a namespace in a project and moves it out and back', async () => {
    const created = await p.graphql(
      p.users.admin,
      'mutation { createNamespace(clusterId: "one", name: "apps", projectId: "p-shop") { name projectId } }',
    );
    expect(created.errors).to.equal(undefined);
    expect(created.data.createNamespace).to.deep.equal({ name: 'apps', projectId: 'one:p-shop' });
    const out = await p.graphql(
      p.users.admin,
      'mutation { moveNamespace(clusterId: "one", name: "apps", projectId: null) { projectId labels } }',
    );
    expect(out.data.moveNamespace.projectId).to.equal(null);
    expect(out.data.moveNamespace.labels).not.to.have.property('paddock.io/project-id');
    const back = await p.graphql(
      p.users.admin,
      'mutation { moveNamespace(clusterId: "one", name: "apps", projectId: "one:p-shop") { projectId } }',
    );
    expect(back.data.moveNamespace.projectId).to.equal('one:p-shop');
    const ns = p.sim.cluster('one').get('namespaces', '', 'apps') as Row;
    expect(ns.metadata.annotations['paddock.io/project-id']).to.equal('one:p-shop');
  });

  it('deploys a workload with env, ports, resources and volumes from config maps, secrets and PVCs', async () => {
    for (const m of [
      'createConfigMap(input: { clusterId: "one", namespace: "apps", name: "web-config", data: { MODE: "prod" } }) { keys }',
      'createSecret(input: { clusterId: "one", namespace: "apps", name: "web-secret", data: { TOKEN: "t0k3n" } }) { keys }',
      'createPersistentVolumeClaim(input: { clusterId: "one", namespace: "apps", name: "web-data", storage: "1Gi" }) { requested }',
    ]) {
      const r = await p.graphql(p.users.admin, `mutation { ${m} }`);
      expect(r.errors, m).to.equal(undefined);
    }
    const r = await p.graphql(p.users.admin, DEPLOY, {
      input: {
        clusterId: 'one',
        namespace: 'apps',
        name: 'web',
        image: 'nginx:1.27',
        replicas: 2,
        env: [
          { name: 'PLAIN', value: 'x' },
          { name: 'MODE', configMapKey: { name: 'web-config', key: 'MODE' } },
          { name: 'TOKEN', secretKey: { name: 'web-secret', key: 'TOKEN' } },
        ],
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m' } },
        volumes: [
          { name: 'config', mountPath: '/etc/web', configMap: 'web-config' },
          { name: 'secret', mountPath: '/etc/secret', secret: 'web-secret', readOnly: true },
          { name: 'data', mountPath: '/data', persistentVolumeClaim: 'web-data' },
        ],
      },
    });
    expect(r.errors).to.equal(undefined);
    expect(r.data.deployWorkload).to.include({ kind: 'DEPLOYMENT', name: 'web', replicas: 2 });
    const d = p.sim.cluster('one').get('deployments.apps', 'apps', 'web') as Row;
    const container = d.spec.template.spec.containers[0];
    expect(container.env.map((e: Row) => e.name)).to.deep.equal(['PLAIN', 'MODE', 'TOKEN']);
    expect(container.resources.requests).to.deep.equal({ cpu: '100m', memory: '64Mi' });
    expect(
      d.spec.template.spec.volumes.map((v: Row) => Object.keys(v).sort().join()),
    ).to.deep.equal(['configMap,name', 'name,secret', 'name,persistentVolumeClaim']);
    await poll(
      () =>
        p.graphql(
          p.users.admin,
          '{ pods(filter: { clusterIds: ["one"], namespaces: ["apps"] }) { items { name } } }',
        ),
      (x) => x.data.pods.items.length === 2,
      'two pods',
    );
  });

  it('scales, redeploys, pauses and resumes, and rolls back to a revision', async () => {
    const scaled = await p.graphql(
      p.users.admin,
      'mutation($w: WorkloadRefInput!) { scaleWorkload(workload: $w, replicas: 3) { replicas } }',
      { w: REF },
    );
    expect(scaled.data.scaleWorkload.replicas).to.equal(3);
    const redeployed = await p.graphql(
      p.users.admin,
      'mutation($w: WorkloadRefInput!) { redeployWorkload(workload: $w) { name } }',
      { w: REF },
    );
    expect(redeployed.errors).to.equal(undefined);
    const d = p.sim.cluster('one').get('deployments.apps', 'apps', 'web') as Row;
    expect(d.spec.template.metadata.annotations).to.have.property(
      'kubectl.kubernetes.io/restartedAt',
    );
    const paused = await p.graphql(
      p.users.admin,
      'mutation($w: WorkloadRefInput!) { pauseWorkload(workload: $w) { paused } }',
      { w: REF },
    );
    expect(paused.data.pauseWorkload.paused).to.equal(true);
    const resumed = await p.graphql(
      p.users.admin,
      'mutation($w: WorkloadRefInput!) { resumeWorkload(workload: $w) { paused } }',
      { w: REF },
    );
    expect(resumed.data.resumeWorkload.paused).to.equal(false);

    const updated = await p.graphql(p.users.admin, DEPLOY, {
      input: { clusterId: 'one', namespace: 'apps', name: 'web', image: 'nginx:1.28', replicas: 3 },
    });
    expect(updated.errors).to.equal(undefined);
    expect(updated.data.deployWorkload.images).to.deep.equal(['nginx:1.28']);
    const revision = await poll(
      async () =>
        (p.sim.cluster('one').get('deployments.apps', 'apps', 'web') as Row).metadata.annotations?.[
          'deployment.kubernetes.io/revision'
        ],
      (rev) => Number(rev) >= 3,
      'a new revision',
    );
    const back = await p.graphql(
      p.users.admin,
      'mutation($w: WorkloadRefInput!) { rollbackWorkload(workload: $w, revision: 1) { images } }',
      { w: REF },
    );
    expect(back.errors, `revision ${revision}`).to.equal(undefined);
    expect(back.data.rollbackWorkload.images).to.deep.equal(['nginx:1.27']);
  });

  it('creates, updates and deletes services, ingresses, secrets, registry credentials and certificates', async () => {
    const tls = await testTlsMaterial();
    const steps = [
      [
        'createService(input: { clusterId: "one", namespace: "apps", name: "web", ports: [{ port: 80, targetPort: "http" }], selector: { app: "web" } }) { dnsName ports { targetPort } }',
        'createService',
      ],
      [
        'updateService(input: { clusterId: "one", namespace: "apps", name: "web", type: "NodePort", ports: [{ port: 8080 }], selector: { app: "web" } }) { type ports { port } }',
        'updateService',
      ],
      [
        'createIngress(input: { clusterId: "one", namespace: "apps", name: "web", rules: [{ host: "web.example", paths: [{ serviceName: "web", servicePort: "8080" }] }] }) { rules { host } }',
        'createIngress',
      ],
      [
        'updateIngress(input: { clusterId: "one", namespace: "apps", name: "web", rules: [{ host: "www.example", paths: [{ path: "/app", serviceName: "web", servicePort: "http" }] }], tls: [{ hosts: ["www.example"], secretName: "web-tls" }] }) { rules { host paths { backend { servicePort } } } tls { secretName } }',
        'updateIngress',
      ],
      [
        'updateConfigMap(input: { clusterId: "one", namespace: "apps", name: "web-config", data: { OTHER: "1" } }) { keys }',
        'updateConfigMap',
      ],
      [
        'updateSecret(input: { clusterId: "one", namespace: "apps", name: "web-secret", data: { A: "1", B: "2" } }) { keys }',
        'updateSecret',
      ],
      [
        'createRegistryCredential(input: { clusterId: "one", namespace: "apps", name: "pull", registries: [{ server: "ghcr.io", username: "bot", password: "pa55word" }] }) { registries { server username } }',
        'createRegistryCredential',
      ],
      [
        'updateRegistryCredential(input: { clusterId: "one", namespace: "apps", name: "pull", registries: [{ server: "quay.io", username: "bot2", password: "pa55word2" }] }) { registries { server username } }',
        'updateRegistryCredential',
      ],
      [
        'updatePersistentVolumeClaim(input: { clusterId: "one", namespace: "apps", name: "web-data", storage: "2Gi" }) { requested }',
        'updatePersistentVolumeClaim',
      ],
    ] as const;
    const results: Record<string, Row> = {};
    for (const [m, field] of steps) {
      const r = await p.graphql(p.users.admin, `mutation { ${m} }`);
      expect(r.errors, m).to.equal(undefined);
      results[field] = r.data[field];
    }
    expect(results.createService).to.deep.equal({
      dnsName: 'web.apps.svc.cluster.local',
      ports: [{ targetPort: 'http' }],
    });
    expect(results.updateService).to.deep.equal({ type: 'NodePort', ports: [{ port: 8080 }] });
    expect(results.updateIngress?.tls).to.deep.equal([{ secretName: 'web-tls' }]);
    expect(results.updateConfigMap?.keys).to.deep.equal(['OTHER']);
    expect(results.updateSecret?.keys).to.deep.equal(['A', 'B']);
    expect(results.updateRegistryCredential?.registries).to.deep.equal([
      { server: 'quay.io', username: 'bot2' },
    ]);
    expect(results.updatePersistentVolumeClaim?.requested).to.equal('2Gi');
    expect(JSON.stringify(results)).not.to.include('pa55word');

    const cert = await p.graphql(
      p.users.admin,
      'mutation($c: String!, $k: String!) { createCertificate(input: { clusterId: "one", namespace: "apps", name: "web-tls", certificatePem: $c, privateKeyPem: $k }) { valid subjectAltNames } }',
      { c: tls.certPem, k: tls.keyPem },
    );
    expect(cert.errors).to.equal(undefined);
    expect(cert.data.createCertificate.subjectAltNames).to.include('DNS:localhost');

    for (const [field, ref] of [
      ['deleteIngress', 'web'],
      ['deleteService', 'web'],
      ['deleteRegistryCredential', 'pull'],
      ['deleteCertificate', 'web-tls'],
      ['deleteSecret', 'web-secret'],
      ['deleteConfigMap', 'web-config'],
    ] as const) {
      const r = await p.graphql(
        p.users.admin,
        `mutation { ${field}(ref: { clusterId: "one", namespace: "apps", name: "${ref}" }) }`,
      );
      expect(r.errors, field).to.equal(undefined);
      expect(r.data[field]).to.equal(true);
    }
    expect(
      p.sim
        .cluster('one')
        .list('secrets', 'apps')
        .map((s) => (s as Row).metadata.name),
    ).not.to.include.members(['pull', 'web-tls', 'web-secret']);
  });

  it('refuses a certificate whose key does not match before calling the cluster', async () => {
    const tls = await testTlsMaterial();
    const { privateKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }),
    );
    const r = await p.graphql(
      p.users.admin,
      'mutation($c: String!, $k: String!) { createCertificate(input: { clusterId: "one", namespace: "apps", name: "bad-tls", certificatePem: $c, privateKeyPem: $k }) { valid } }',
      { c: tls.certPem, k: privateKey },
    );
    expect(r.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).to.match(/does not match/);
  });

  it('surfaces 409, 422 and 403 from Kubernetes as GraphQL errors with codes and the downstream message', async () => {
    const make =
      'mutation { createConfigMap(input: { clusterId: "one", namespace: "shop", name: "dup", data: {} }) { name } }';
    expect((await p.graphql(p.users.admin, make)).errors).to.equal(undefined);
    const conflict = await p.graphql(p.users.admin, make);
    expect(conflict.errors?.[0]?.extensions?.code).to.equal('CONFLICT');
    expect(conflict.errors?.[0]?.message).to.match(/already exists/);
    expect(conflict.errors?.[0]?.extensions?.details).to.include({ clusterId: 'one', status: 409 });

    const invalid = await p.graphql(
      p.users.admin,
      'mutation { createConfigMap(input: { clusterId: "one", namespace: "shop", name: "bad", data: {}, labels: { team: "not valid!" } }) { name } }',
    );
    expect(invalid.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(invalid.errors?.[0]?.extensions?.details).to.include({
      status: 422,
      kubeCode: 'INVALID',
    });
    expect(invalid.errors?.[0]?.message).to.match(/Invalid value/);

    const forbidden = await p.graphql(
      p.users.member,
      'mutation { createConfigMap(input: { clusterId: "one", namespace: "payments", name: "x", data: {} }) { name } }',
    );
    expect(forbidden.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    expect(forbidden.errors?.[0]?.message).to.match(/forbidden/);
    const allowed = await p.graphql(
      p.users.member,
      'mutation { createConfigMap(input: { clusterId: "one", namespace: "shop", name: "mine", data: { a: "b" } }) { name keys } }',
    );
    expect(allowed.errors).to.equal(undefined);
    expect(allowed.data.createConfigMap).to.deep.equal({ name: 'mine', keys: ['a'] });
  });
});
