// Multi-cluster apps end to end: one chart on three kubesim clusters, reconciled by the
// controller (on the controller host) with a short-lived credential of the owner. A cluster
// that is down shows its error and converges when it returns; drift is put back; upgrades and
// rollbacks reach every target; removed targets are uninstalled; an owner who loses install
// rights or is disabled suspends the app; only callers with install rights everywhere create.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { type ChartRepoServer, startChartRepoServer } from '../../../scripts/chart-repo-server.js';
import { indexRepository, makeSampleChart } from '../../../scripts/sample-charts.js';
import { type HelmCli, helmCli } from '../../support/helm.js';
import { createTestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { type AppsHarness, type HarnessUser, startAppsHarness } from './support/apps-harness.js';

const MCA_FIELDS = `id name version specRevision state stateMessage ownerId
  targets { clusterId namespace state message chartVersion specRevision releaseRevision }
  removing { clusterId namespace } revisions { revision version values }`;

interface TargetRow {
  clusterId: string;
  state: string;
  message: string | null;
  chartVersion: string | null;
  specRevision: number | null;
  releaseRevision: number | null;
}
interface McaRow {
  id: string;
  state: string;
  stateMessage: string | null;
  specRevision: number;
  targets: TargetRow[];
  removing: { clusterId: string }[];
}

describe('multi-cluster apps across three clusters', function () {
  this.timeout(420_000);
  let h: AppsHarness;
  let helm: HelmCli;
  let repo: ChartRepoServer;
  let catalogId: string;
  let owner: HarnessUser;
  let partial: HarnessUser;
  let colleague: HarnessUser;
  const projects: Record<string, string> = {};
  const ownerBindings: Record<string, string> = {};
  let appId: string;

  const get = async (user: HarnessUser = owner): Promise<McaRow> =>
    (
      await h.ok(user, `query($id: ID!) { multiClusterApp(id: $id) { ${MCA_FIELDS} } }`, {
        id: appId,
      })
    ).multiClusterApp;
  const until = (what: string, done: (app: McaRow) => boolean, timeoutMs = 120_000) =>
    waitFor(
      what,
      async () => {
        const app = await get(h.admin);
        return done(app) ? app : undefined;
      },
      { timeoutMs, intervalMs: 250 },
    ).catch(async (err: unknown) => {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(await get(h.admin))}`);
    });
  const release = (cluster: string) => {
    const secrets = h.sim
      .cluster(cluster)
      .list('secrets', 'edge')
      .filter((s) => s.metadata.labels?.owner === 'helm' && s.metadata.labels?.name === 'greeter');
    return secrets.map((s) => Number(s.metadata.labels?.version)).sort((a, b) => b - a)[0];
  };
  const greeting = (cluster: string) =>
    (
      h.sim.cluster(cluster).get('configmaps', 'edge', 'greeter-hello-greeting') as unknown as
        | { data?: { greeting?: string } }
        | undefined
    )?.data?.greeting;

  before(async () => {
    h = await startAppsHarness({ reconcileIntervalMs: 1_000 });
    helm = await helmCli();
    const charts = join(h.dir, 'charts');
    await mkdir(charts, { recursive: true });
    await makeSampleChart(helm.binary, charts, { name: 'hello', version: '1.0.0' });
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
    catalogId = (
      await h.ok(h.admin, 'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }', {
        i: { name: 'library', scope: 'GLOBAL', url: repo.url, caPem: ca.caPem },
      })
    ).addCatalog.id;
    owner = await h.addUser('oona');
    partial = await h.addUser('paul');
    colleague = await h.addUser('cleo');
    for (const c of ['one', 'two', 'three']) {
      projects[c] = await h.addProject(c, 'Edge', 'edge');
      ownerBindings[c] = await h.addMember(c, projects[c]!, 'edge', owner, 'project-member');
      await h.addMember(c, projects[c]!, 'edge', colleague, 'project-member');
      // paul sees cluster three but may only read there.
      await h.addMember(
        c,
        projects[c]!,
        'edge',
        partial,
        c === 'three' ? 'read-only' : 'project-member',
      );
    }
  });

  after(async () => {
    await repo?.close();
    await helm?.remove();
    await h?.stop();
  });

  const targets = () =>
    ['one', 'two', 'three'].map((c) => ({
      clusterId: c,
      projectId: projects[c],
      namespace: 'edge',
      ...(c === 'two' ? { values: { greeting: 'hello from two' } } : {}),
    }));
  const create = (user: HarnessUser) =>
    h.graphql(
      user,
      `mutation($i: CreateMultiClusterAppInput!) { createMultiClusterApp(input: $i) { ${MCA_FIELDS} } }`,
      {
        i: {
          name: 'greeter',
          catalogId,
          chart: 'hello',
          version: '1.0.0',
          values: { greeting: 'hello everywhere' },
          targets: targets(),
          rollout: { batchSize: 1, pauseSeconds: 1, stopOnFailure: false },
        },
      },
    );

  it('refuses a creator who may not install in every target, naming the target', async () => {
    const r = await create(partial);
    expect(r.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    expect(r.errors?.[0]?.message).to.contain('cluster three');
    expect((await h.ok(h.admin, '{ multiClusterApps { id } }')).multiClusterApps).to.deep.equal([]);
  });

  it('converges on the clusters that are up and shows the error of the one that is down', async () => {
    const r = await create(owner);
    expect(r.errors).to.equal(undefined);
    appId = r.data.createMultiClusterApp.id;
    expect(r.data.createMultiClusterApp.ownerId).to.equal(owner.userId);
    await h.sim.cluster('three').setFaults({ down: true });
    const app = await until('one and two deployed, three failed', (a) =>
      a.targets.every((t) =>
        t.clusterId === 'three' ? t.state === 'FAILED' : t.state === 'DEPLOYED',
      ),
    );
    expect(app.targets.find((t) => t.clusterId === 'three')?.message).to.match(
      /three|unreachable|refused|unavailable/i,
    );
    expect(greeting('one')).to.equal('hello everywhere');
    expect(greeting('two')).to.equal('hello from two');
  });

  it('converges on the down cluster once it is back', async () => {
    await h.sim.cluster('three').setFaults({ down: false });
    const app = await until('three deployed', (a) =>
      a.targets.every((t) => t.state === 'DEPLOYED'),
    );
    expect(app.targets.map((t) => t.chartVersion)).to.deep.equal(['1.0.0', '1.0.0', '1.0.0']);
    expect(greeting('three')).to.equal('hello everywhere');
  });

  it('puts back a release changed outside Paddock', async () => {
    const kubeconfig = await h.proxyKubeconfig(h.admin, 'one');
    const chart = join(h.dir, 'charts', 'hello-1.0.0.tgz');
    await helm.ok(
      ['upgrade', 'greeter', chart, '-n', 'edge', '--reuse-values', '--set', 'greeting=tampered'],
      { kubeconfig },
    );
    const tampered = release('one')!;
    const app = await until('one restored', (a) => {
      const t = a.targets.find((x) => x.clusterId === 'one');
      return t?.state === 'DEPLOYED' && (t.releaseRevision ?? 0) > tampered;
    });
    expect(app.targets.find((t) => t.clusterId === 'one')?.message).to.match(
      /restored after drift; changed outside Paddock/,
    );
    expect(greeting('one')).to.equal('hello everywhere');
  });

  it('lets only the owner (or an administrator) change the app', async () => {
    const r = await h.graphql(
      colleague,
      'mutation($id: ID!) { updateMultiClusterApp(id: $id, input: { version: "1.1.0" }) { id } }',
      { id: appId },
    );
    expect(r.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const del = await h.graphql(
      partial,
      'mutation($id: ID!) { deleteMultiClusterApp(id: $id) { id } }',
      { id: appId },
    );
    expect(del.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const rollback = await h.graphql(
      colleague,
      'mutation($id: ID!) { rollbackMultiClusterApp(id: $id, revision: 1) { id } }',
      { id: appId },
    );
    expect(rollback.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const removeTargets = await h.graphql(
      colleague,
      'mutation($id: ID!, $t: [MultiClusterAppTargetRefInput!]!) { removeMultiClusterAppTargets(id: $id, targets: $t) { id } }',
      { id: appId, t: [{ clusterId: 'one', namespace: 'edge' }] },
    );
    expect(removeTargets.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const addTargets = await h.graphql(
      colleague,
      'mutation($id: ID!, $t: [MultiClusterAppTargetInput!]!) { addMultiClusterAppTargets(id: $id, targets: $t) { id } }',
      { id: appId, t: [{ clusterId: 'one', projectId: projects.one, namespace: 'edge' }] },
    );
    expect(addTargets.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const app = await get(h.admin);
    expect(app.specRevision).to.equal(1);
    expect(app.targets.length).to.equal(3);
  });

  it('upgrades every target, then rolls every target back', async () => {
    await h.ok(
      owner,
      'mutation($id: ID!) { updateMultiClusterApp(id: $id, input: { version: "1.1.0", values: { greeting: "v2" } }) { id } }',
      { id: appId },
    );
    await until(
      'all on 1.1.0',
      (a) =>
        a.specRevision === 2 &&
        a.targets.every((t) => t.state === 'DEPLOYED' && t.chartVersion === '1.1.0'),
    );
    expect(greeting('one')).to.equal('v2');
    await h.ok(
      owner,
      'mutation($id: ID!) { rollbackMultiClusterApp(id: $id, revision: 1) { id } }',
      { id: appId },
    );
    const back = await until(
      'all back on 1.0.0',
      (a) =>
        a.specRevision === 3 &&
        a.targets.every(
          (t) => t.state === 'DEPLOYED' && t.chartVersion === '1.0.0' && t.specRevision === 3,
        ),
    );
    expect(back.targets.length).to.equal(3);
    expect(greeting('three')).to.equal('hello everywhere');
  });

  it('uninstalls from a removed target', async () => {
    await h.ok(
      owner,
      'mutation($id: ID!, $t: [MultiClusterAppTargetRefInput!]!) { removeMultiClusterAppTargets(id: $id, targets: $t) { id } }',
      {
        id: appId,
        t: [{ clusterId: 'two', namespace: 'edge' }],
      },
    );
    await until('two uninstalled', (a) => a.removing.length === 0 && a.targets.length === 2);
    expect(release('two')).to.equal(undefined);
    expect(release('one')).to.not.equal(undefined);
  });

  it('suspends the app when its owner may no longer install in a target', async () => {
    await h.ok(h.admin, 'mutation($b: ID!) { removeProjectMember(bindingId: $b) }', {
      b: ownerBindings.three,
    });
    const app = await until('suspended', (a) => a.state === 'SUSPENDED');
    expect(app.stateMessage).to.match(/may no longer install in three\/edge/);
    // Nothing runs meanwhile: a change to the spec is not rolled out.
    const before = release('one');
    // An administrator (who may install everywhere) changes the spec; the owner's rights decide.
    await h.ok(
      h.admin,
      'mutation($id: ID!) { updateMultiClusterApp(id: $id, input: { values: { greeting: "while suspended" } }) { specRevision } }',
      { id: appId },
    );
    await new Promise((r) => setTimeout(r, 3_000));
    expect(release('one')).to.equal(before);
  });

  it('suspends the app when its owner is disabled, and acts again once enabled', async () => {
    ownerBindings.three = await h.addMember(
      'three',
      projects.three!,
      'edge',
      owner,
      'project-member',
    );
    await h.app.identity.users.disable(owner.userId, 'left the team');
    const app = await until(
      'suspended for the disabled owner',
      (a) => a.state === 'SUSPENDED' && /disabled/.test(a.stateMessage ?? ''),
    );
    expect(app.stateMessage).to.equal(`owner ${owner.userId} is disabled; reconciliation stopped`);
    await h.app.identity.users.enable(owner.userId);
    await until(
      'active and converged',
      (a) => a.state === 'ACTIVE' && a.targets.every((t) => t.state === 'DEPLOYED'),
    );
    expect(greeting('one')).to.equal('while suspended');
  });

  it('uninstalls from every target when deleted, then forgets the app', async () => {
    await h.ok(owner, 'mutation($id: ID!) { deleteMultiClusterApp(id: $id) { state } }', {
      id: appId,
    });
    await waitFor(
      'the app to be gone',
      async () =>
        (await h.ok(h.admin, '{ multiClusterApps { id } }')).multiClusterApps.length === 0
          ? true
          : undefined,
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect([release('one'), release('three')]).to.deep.equal([undefined, undefined]);
  });
});
