// Apps (Helm releases) end to end: installs, upgrades, rollbacks and uninstalls through GraphQL
// as a project member, run by the real Helm CLI against Paddock's own proxy with a short-lived
// credential of the caller, so kubesim's RBAC decides each request. Also a read-only member's
// refusal, a release made with helm outside Paddock showing in `apps`, values checked against
// the chart's schema, the default-image-registry setting, and the derived credential's life.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { type ChartRepoServer, startChartRepoServer } from '../../../scripts/chart-repo-server.js';
import { indexRepository, makeSampleChart } from '../../../scripts/sample-charts.js';
import { type HelmCli, helmCli } from '../../support/helm.js';
import { createTestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { subscribe } from '../graphql/support/subscribe.js';
import {
  type AppsHarness,
  type HarnessUser,
  kubectl,
  startAppsHarness,
} from './support/apps-harness.js';
import { OPERATION_FIELDS, type OperationRow, operationEnd } from './support/operations.js';

const APP_FIELDS =
  'clusterId namespace projectId name revision status chartName chartVersion values catalogId';

describe('apps: Helm releases through GraphQL as the caller', function () {
  this.timeout(300_000);
  let h: AppsHarness;
  let helm: HelmCli;
  let repo: ChartRepoServer;
  let catalogId: string;
  let member: HarnessUser;
  let viewer: HarnessUser;
  let outsider: HarnessUser;
  let projectId: string;
  let helloV1: string;

  const install = (user: HarnessUser, input: Record<string, unknown>) =>
    h.graphql(
      user,
      `mutation($i: InstallAppInput!) { installApp(input: $i) { ${OPERATION_FIELDS} } }`,
      {
        i: { clusterId: 'one', namespace: 'store', catalogId, chart: 'hello', ...input },
      },
    );
  const appsOf = async (user: HarnessUser) =>
    (await h.ok(user, `{ apps { items { ${APP_FIELDS} } clusterErrors { clusterId code } } }`))
      .apps;

  before(async () => {
    h = await startAppsHarness();
    helm = await helmCli();
    const charts = join(h.dir, 'charts');
    await mkdir(charts, { recursive: true });
    helloV1 = await makeSampleChart(helm.binary, charts, { name: 'hello', version: '1.0.0' });
    await makeSampleChart(helm.binary, charts, { name: 'hello', version: '1.1.0' });
    await indexRepository(helm.binary, charts);
    const ca = await createTestCa(h.dir, 'charts');
    const cert = await ca.issueServerCert('charts', { ips: ['127.0.0.1'] });
    repo = await startChartRepoServer({
      dir: charts,
      certPem: cert.certPem,
      keyPem: await readFile(cert.keyPath, 'utf8'),
      prefix: '/charts',
    });
    const added = await h.ok(
      h.admin,
      'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id refresh { state } } }',
      {
        i: { name: 'library', scope: 'GLOBAL', url: repo.url, caPem: ca.caPem },
      },
    );
    catalogId = added.addCatalog.id;
    member = await h.addUser('mona');
    viewer = await h.addUser('vera');
    outsider = await h.addUser('oscar');
    projectId = await h.addProject('one', 'Store', 'store');
    await h.addMember('one', projectId, 'store', member, 'project-member');
    await h.addMember('one', projectId, 'store', viewer, 'read-only');
  });

  after(async () => {
    await repo?.close();
    await helm?.remove();
    await h?.stop();
  });

  it('installs a chart as a project member, with Helm acting as that member', async () => {
    const started = await install(member, { name: 'shopfront', version: '1.0.0' });
    expect(started.errors).to.equal(undefined);
    const op = started.data.installApp as OperationRow;
    expect(op).to.deep.include({ kind: 'INSTALL', state: 'RUNNING' });
    const done = await operationEnd(h, member, op.id);
    expect(done.state, done.error ?? '').to.equal('SUCCEEDED');
    expect(done.log.join('\n')).to.match(/STATUS: deployed/);
    // Every write Helm made went through the proxy as the member, not as Paddock.
    const audited = h.logs
      .map(
        (l) =>
          (l.obj as { audit?: { kind?: string; userId: string; path: string; tokenKind: string } })
            .audit,
      )
      .filter((a) => a?.kind === 'k8s-proxy' && a.path.includes('/namespaces/store/'));
    expect(audited.length).to.be.greaterThan(0);
    expect(new Set(audited.map((a) => `${a!.userId}:${a!.tokenKind}`))).to.deep.equal(
      new Set([`${member.userId}:kubeconfig`]),
    );
    // The derived credential is gone once the operation ended.
    const keys = await h.app.identity.apiKeys.list(member.userId);
    expect(keys.filter((k) => k.description.startsWith('helm '))).to.deep.equal([]);
  });

  it("lists the release in apps from Helm's records, read as the caller", async () => {
    const list = await appsOf(member);
    const app = list.items.find((a: { name: string }) => a.name === 'shopfront');
    expect(app).to.deep.include({
      clusterId: 'one',
      namespace: 'store',
      projectId: `one:${projectId}`,
      revision: 1,
      status: 'deployed',
      chartName: 'hello',
      chartVersion: '1.0.0',
      catalogId,
    });
    const detail = await h.ok(
      member,
      'query($r: AppRefInput!) { app(ref: $r) { notes history { revision status } resources { kind name } } }',
      { r: { clusterId: 'one', namespace: 'store', name: 'shopfront' } },
    );
    expect(detail.app.notes).to.contain('Get the application URL');
    expect(detail.app.history).to.deep.equal([{ revision: 1, status: 'deployed' }]);
    expect(
      detail.app.resources.map((r: { kind: string; name: string }) => `${r.kind}/${r.name}`),
    ).to.include.members([
      'Deployment/shopfront-hello',
      'Service/shopfront-hello',
      'ConfigMap/shopfront-hello-greeting',
    ]);
  });

  it("refuses values that do not match the chart's schema before anything is sent", async () => {
    const before = h.sim.cluster('one').list('secrets', 'store').length;
    const r = await install(member, {
      name: 'bad-values',
      valuesYaml: 'replicaCount: lots\ngreeting: 7\n',
    });
    expect(r.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).to.match(/replicaCount: must be integer/);
    expect(r.errors?.[0]?.message).to.match(/greeting: must be string/);
    expect(h.sim.cluster('one').list('secrets', 'store').length).to.equal(before);
  });

  it('upgrades with a values diff, streaming the log through a subscription', async () => {
    const r = await h.ok(
      member,
      `mutation($i: UpgradeAppInput!) { upgradeApp(input: $i) { ${OPERATION_FIELDS} } }`,
      {
        i: {
          clusterId: 'one',
          namespace: 'store',
          name: 'shopfront',
          version: '1.1.0',
          values: { replicaCount: 2, greeting: 'hi there' },
        },
      },
    );
    const op = r.upgradeApp as OperationRow;
    expect(op.valuesDiff).to.deep.equal([
      { path: 'greeting', before: null, after: 'hi there' },
      { path: 'replicaCount', before: null, after: 2 },
    ]);
    const sub = subscribe(
      h.url,
      h.caPem,
      member.token,
      'subscription($id: ID!) { appOperationUpdates(id: $id) { lines state error } }',
      {
        id: op.id,
      },
    );
    try {
      await sub.waitFor(
        (events) => events.some((e) => e.appOperationUpdates.state !== 'RUNNING'),
        90_000,
      );
      const events = sub.events.map((e) => e.appOperationUpdates);
      expect(events.at(-1)?.state, JSON.stringify(events.at(-1))).to.equal('SUCCEEDED');
      expect(events.flatMap((e) => e.lines).join('\n')).to.match(/upgrade/i);
    } finally {
      await sub.stop();
    }
    const cm = h.sim
      .cluster('one')
      .get('configmaps', 'store', 'shopfront-hello-greeting') as unknown as {
      data: { greeting: string };
    };
    expect(cm.data.greeting).to.equal('hi there');
  });

  it('rolls back to the first revision', async () => {
    const r = await h.ok(
      member,
      `mutation($r: AppRefInput!) { rollbackApp(ref: $r, revision: 1) { ${OPERATION_FIELDS} } }`,
      {
        r: { clusterId: 'one', namespace: 'store', name: 'shopfront' },
      },
    );
    const done = await operationEnd(h, member, r.rollbackApp.id);
    expect(done.state, done.error ?? '').to.equal('SUCCEEDED');
    const app = (await appsOf(member)).items.find((a: { name: string }) => a.name === 'shopfront');
    expect(app).to.deep.include({ revision: 3, chartVersion: '1.0.0' });
    const cm = h.sim
      .cluster('one')
      .get('configmaps', 'store', 'shopfront-hello-greeting') as unknown as {
      data: { greeting: string };
    };
    expect(cm.data.greeting).to.equal('hello');
  });

  it("refuses a read-only member with the cluster's 403, and shows that member no releases", async () => {
    const r = await install(viewer, { name: 'not-allowed' });
    expect(r.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    expect(r.errors?.[0]?.message).to.match(/secrets is forbidden|may not create secrets/);
    const up = await h.graphql(
      viewer,
      'mutation($r: AppRefInput!) { uninstallApp(ref: $r) { id } }',
      {
        r: { clusterId: 'one', namespace: 'store', name: 'shopfront' },
      },
    );
    expect(up.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const upgrade = await h.graphql(
      viewer,
      'mutation($i: UpgradeAppInput!) { upgradeApp(input: $i) { id } }',
      {
        i: { clusterId: 'one', namespace: 'store', name: 'shopfront', values: { replicaCount: 5 } },
      },
    );
    expect(upgrade.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const rollback = await h.graphql(
      viewer,
      'mutation($r: AppRefInput!) { rollbackApp(ref: $r, revision: 2) { id } }',
      {
        r: { clusterId: 'one', namespace: 'store', name: 'shopfront' },
      },
    );
    expect(rollback.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    // read-only cannot read Secrets, where Helm keeps releases: neither can `helm list`.
    expect((await appsOf(viewer)).items).to.deep.equal([]);
  });

  it('hides the cluster from someone with no membership in it', async () => {
    const r = await install(outsider, { name: 'stranger' });
    expect(r.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
    const op = await h.graphql(
      outsider,
      'query { appOperation(id: "op-0000000000000000") { id } }',
    );
    expect(op.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
  });

  it('shows a release installed with helm directly through the proxy, outside Paddock', async () => {
    const kubeconfig = await h.proxyKubeconfig(h.admin, 'one');
    await helm.ok(['install', 'handmade', helloV1, '-n', 'default'], { kubeconfig });
    const admins = await appsOf(h.admin);
    const handmade = admins.items.find((a: { name: string }) => a.name === 'handmade');
    expect(handmade).to.deep.include({
      clusterId: 'one',
      namespace: 'default',
      status: 'deployed',
      catalogId: null,
    });
    // Pages of releases across clusters, by opaque cursor.
    const first = await h.ok(
      h.admin,
      '{ apps(first: 1) { totalCount items { name } pageInfo { endCursor hasNextPage } } }',
    );
    expect(first.apps.totalCount).to.be.greaterThan(1);
    expect(first.apps.pageInfo.hasNextPage).to.equal(true);
    const second = await h.ok(
      h.admin,
      'query($a: String) { apps(first: 1, after: $a) { items { name } } }',
      {
        a: first.apps.pageInfo.endCursor,
      },
    );
    expect(second.apps.items[0].name).to.not.equal(first.apps.items[0].name);
    // The member may not read Secrets in default, so it is not in the member's list.
    expect((await appsOf(member)).items.map((a: { name: string }) => a.name)).to.not.include(
      'handmade',
    );
  });

  it('passes default-image-registry to charts that declare it and to workloads naming no registry', async () => {
    await h.ok(
      h.admin,
      'mutation { updateSetting(name: "default-image-registry", value: "registry.example.com") { value } }',
    );
    try {
      const r = await install(member, { name: 'mirrored' });
      const done = await operationEnd(h, member, r.data.installApp.id);
      expect(done.state, done.error ?? '').to.equal('SUCCEEDED');
      const deploy = h.sim
        .cluster('one')
        .get('deployments.apps', 'store', 'mirrored-hello') as unknown as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
      expect(deploy.spec.template.spec.containers[0]?.image).to.match(
        /^registry\.example\.com\/nginx:/,
      );
      const app = (await appsOf(member)).items.find((a: { name: string }) => a.name === 'mirrored');
      expect(app.values).to.deep.equal({
        global: { systemDefaultRegistry: 'registry.example.com' },
      });
      const deployWorkload = (image: string, name: string) =>
        h.ok(member, 'mutation($i: DeployWorkloadInput!) { deployWorkload(input: $i) { name } }', {
          i: { clusterId: 'one', namespace: 'store', name, image },
        });
      await deployWorkload('busybox:1.36', 'plain');
      await deployWorkload('quay.io/prometheus/node-exporter:v1.8.0', 'qualified');
      const image = (name: string) =>
        (
          h.sim.cluster('one').get('deployments.apps', 'store', name) as unknown as {
            spec: { template: { spec: { containers: { image: string }[] } } };
          }
        ).spec.template.spec.containers[0]?.image;
      expect(image('plain')).to.equal('registry.example.com/busybox:1.36');
      expect(image('qualified')).to.equal('quay.io/prometheus/node-exporter:v1.8.0');
    } finally {
      await h.ok(
        h.admin,
        'mutation { updateSetting(name: "default-image-registry", value: "") { value } }',
      );
    }
  });

  it("ends an operation at once when the caller's own credential is revoked", async () => {
    const key = await h.app.identity.apiKeys.create({ userId: member.userId, kind: 'api-key' });
    const shortLived: HarnessUser = { ...member, token: key.token };
    // Pods that no node accepts never become ready: Helm waits until its timeout.
    const r = await install(shortLived, {
      name: 'stuck',
      values: { nodeSelector: { nowhere: 'true' } },
      timeoutSeconds: 240,
    });
    const opId = r.data.installApp.id as string;
    await waitFor('the derived credential to exist', async () => {
      const keys = await h.app.identity.apiKeys.list(member.userId);
      return keys.some((k) => k.description.includes(opId)) ? true : undefined;
    });
    await h.app.identity.apiKeys.revoke(key.key.keyId);
    const done = await operationEnd(h, h.admin, opId, 20_000);
    expect(done.state).to.equal('FAILED');
    expect(done.error).to.match(/revoked/);
    const keys = await h.app.identity.apiKeys.list(member.userId);
    expect(keys.filter((k) => k.description.includes(opId))).to.deep.equal([]);
  });

  it('uninstalls, after which the release is gone from apps and from the cluster', async () => {
    const r = await h.ok(
      member,
      `mutation($r: AppRefInput!) { uninstallApp(ref: $r) { ${OPERATION_FIELDS} } }`,
      {
        r: { clusterId: 'one', namespace: 'store', name: 'shopfront' },
      },
    );
    const done = await operationEnd(h, member, r.uninstallApp.id);
    expect(done.state, done.error ?? '').to.equal('SUCCEEDED');
    expect((await appsOf(member)).items.map((a: { name: string }) => a.name)).to.not.include(
      'shopfront',
    );
    const left = await kubectl(h.adminKubeconfig('one'), [
      'get',
      'deploy,secrets',
      '-n',
      'store',
      '-l',
      'app.kubernetes.io/instance=shopfront',
      '-o',
      'name',
    ]);
    expect(left.trim()).to.equal('');
  });

  it('keeps an operation private to whoever started it', async () => {
    const r = await install(member, { name: 'private-op' });
    const id = r.data.installApp.id as string;
    const asViewer = await h.graphql(viewer, 'query($id: ID!) { appOperation(id: $id) { id } }', {
      id,
    });
    expect(asViewer.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
    await operationEnd(h, member, id);
  });
});
