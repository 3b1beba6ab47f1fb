import { expect } from 'chai';
import { RbacSyncController } from '../../../src/datasources/rbac-sync/index.js';
import type { Project } from '../../../src/domain/rbac.js';
import { waitFor } from '../../support/wait-for.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';
import { kubectl } from '../authproxy/support/kubectl.js';
import { DEVS_GROUP, type PaddockUser } from '../authproxy/support/paddock-with-kubesim.js';
import { type RbacHarness, startRbacHarness } from './support/rbac-harness.js';

const CLUSTER = 'one';

async function canI(user: PaddockUser, args: string[]): Promise<boolean> {
  const r = await kubectl(user.kubeconfig, ['auth', 'can-i', ...args]);
  return r.stdout.trim() === 'yes';
}

describe('role bindings pushed down into kubesim, used through the proxy with kubectl', function () {
  this.timeout(180_000);
  let h: RbacHarness;
  let project: Project;
  let mia: PaddockUser;
  let rob: PaddockUser;
  let dana: PaddockUser;

  before(async () => {
    // A long resync, so that a namespace's bindings arriving quickly prove the watch works.
    h = await startRbacHarness({ resyncIntervalMs: 3000 });
    mia = await h.p.addUser('mia');
    rob = await h.p.addUser('rob');
    dana = await h.p.addUser('dana', { groups: [DEVS_GROUP] });
    project = await h.access.service.createProject(h.admin, CLUSTER, {
      name: 'Shop',
      quota: {
        limit: { pods: '20', 'limits.cpu': '4' },
        namespaceDefault: { pods: '10', 'limits.cpu': '2' },
      },
      containerDefaults: {
        limits: { cpu: '500m', memory: '256Mi' },
        requests: { cpu: '100m', memory: '64Mi' },
      },
      podSecurity: { enforce: 'baseline', warn: 'restricted' },
    });
    const label = `paddock.io/project-id=${CLUSTER}_${project.id}`;
    const r = await h.adminKubectl(['label', 'namespace', 'shop', label]);
    expect(r.code, r.stderr).to.equal(0);
    await h.access.service.addProjectMember(
      h.admin,
      CLUSTER,
      project.id,
      `local://${mia.userId}`,
      'project-member',
    );
    await h.access.service.addProjectMember(
      h.admin,
      CLUSTER,
      project.id,
      `local://${rob.userId}`,
      'read-only',
    );
    await h.sync.sync(CLUSTER);
  });

  after(async () => {
    await h?.stop();
  });

  it("lets a project-member create deployments in the project's namespaces only", async () => {
    const inShop = await kubectl(mia.kubeconfig, [
      'create',
      'deployment',
      'web',
      '--image=nginx',
      '-n',
      'shop',
    ]);
    expect(inShop.code, inShop.stderr).to.equal(0);
    const elsewhere = await kubectl(mia.kubeconfig, [
      'create',
      'deployment',
      'web',
      '--image=nginx',
      '-n',
      'payments',
    ]);
    expect(elsewhere.code).to.not.equal(0);
    expect(elsewhere.stderr).to.match(/forbidden/i);
    expect(await canI(mia, ['list', 'nodes'])).to.equal(false);
  });

  it('lets read-only read the project but neither write nor read secrets', async () => {
    const get = await kubectl(rob.kubeconfig, ['get', 'deployments', '-n', 'shop']);
    expect(get.code, get.stderr).to.equal(0);
    const write = await kubectl(rob.kubeconfig, ['create', 'configmap', 'x', '-n', 'shop']);
    expect(write.stderr).to.match(/forbidden/i);
    expect(await canI(rob, ['get', 'secrets', '-n', 'shop'])).to.equal(false);
    expect(await canI(rob, ['delete', 'pods', '-n', 'shop'])).to.equal(false);
  });

  it('gives a user access through a group principal binding without a user binding', async () => {
    expect(await canI(dana, ['create', 'deployments', '-n', 'shop'])).to.equal(false);
    await h.access.service.addProjectMember(
      h.admin,
      CLUSTER,
      project.id,
      DEVS_GROUP,
      'project-member',
    );
    await waitFor(
      'the group binding to reach the cluster',
      async () => ((await canI(dana, ['create', 'deployments', '-n', 'shop'])) ? true : undefined),
      { timeoutMs: 5000, intervalMs: 100 },
    );
    const r = await kubectl(dana.kubeconfig, ['create', 'configmap', 'from-group', '-n', 'shop']);
    expect(r.code, r.stderr).to.equal(0);
  });

  it('puts the project quota, container limits and Pod Security labels on its namespaces', async () => {
    const quota = await h.adminKubectl([
      'get',
      'resourcequota',
      'paddock-project-quota',
      '-n',
      'shop',
      '-o',
      'json',
    ]);
    expect(quota.code, quota.stderr).to.equal(0);
    const q = JSON.parse(quota.stdout);
    expect(q.spec.hard).to.deep.equal({ pods: '10', 'limits.cpu': '2' });
    expect(q.metadata.labels['paddock.io/owned']).to.equal('true');
    const limits = await h.adminKubectl([
      'get',
      'limitrange',
      'paddock-container-defaults',
      '-n',
      'shop',
      '-o',
      'json',
    ]);
    expect(limits.code, limits.stderr).to.equal(0);
    expect(JSON.parse(limits.stdout).spec.limits[0]).to.deep.include({
      type: 'Container',
      default: { cpu: '500m', memory: '256Mi' },
      defaultRequest: { cpu: '100m', memory: '64Mi' },
    });
    const ns = JSON.parse(
      (await h.adminKubectl(['get', 'namespace', 'shop', '-o', 'json'])).stdout,
    );
    expect(ns.metadata.labels).to.include({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'paddock.io/project-id': `${CLUSTER}_${project.id}`,
    });
    expect(ns.metadata.annotations['paddock.io/project-id']).to.equal(`${CLUSTER}:${project.id}`);
  });

  it('gives a namespace moved into the project its bindings within seconds', async () => {
    const created = await h.adminKubectl(['create', 'namespace', 'shop-two']);
    expect(created.code, created.stderr).to.equal(0);
    await h.adminKubectl([
      'annotate',
      'namespace',
      'shop-two',
      `paddock.io/project-id=${CLUSTER}:${project.id}`,
    ]);
    await waitFor(
      'mia to be able to create deployments in shop-two',
      async () =>
        (await canI(mia, ['create', 'deployments', '-n', 'shop-two'])) ? true : undefined,
      { timeoutMs: 5000, intervalMs: 100 },
    );
    // The deadline is the assertion: well under the 60 s resync, so the namespace watch did it.
    const ns = JSON.parse(
      (await h.adminKubectl(['get', 'namespace', 'shop-two', '-o', 'json'])).stdout,
    );
    expect(ns.metadata.labels['paddock.io/project-id']).to.equal(`${CLUSTER}_${project.id}`);
  });

  it('moves a namespace into the project and out again through Paddock', async () => {
    // shop and shop-two fill the project's quota: a third namespace would zero one of them.
    const full = await h.access.service
      .moveNamespace(h.admin, CLUSTER, 'monitoring', project.id)
      .then(
        () => 'moved',
        (err: { reason?: string }) => err.reason,
      );
    expect(full).to.equal('quota_exceeded');
    await h.access.service.updateProject(h.admin, CLUSTER, project.id, {
      quota: {
        limit: { pods: '30', 'limits.cpu': '6' },
        namespaceDefault: { pods: '10', 'limits.cpu': '2' },
      },
    });
    await h.access.service.moveNamespace(h.admin, CLUSTER, 'monitoring', project.id);
    await waitFor(
      'mia to get access to monitoring',
      async () =>
        (await canI(mia, ['create', 'deployments', '-n', 'monitoring'])) ? true : undefined,
      { timeoutMs: 5000, intervalMs: 100 },
    );
    try {
      await h.access.service.moveNamespace(
        { ...h.admin, userId: mia.userId, principalIds: [] },
        CLUSTER,
        'monitoring',
        null,
      );
      expect.fail('a project-member may not move namespaces');
    } catch (err) {
      expect((err as { code?: string }).code).to.equal('FORBIDDEN');
    }
    await h.access.service.moveNamespace(h.admin, CLUSTER, 'monitoring', null);
    await waitFor(
      'mia to lose access to monitoring',
      async () =>
        (await canI(mia, ['create', 'deployments', '-n', 'monitoring'])) ? undefined : true,
      { timeoutMs: 5000, intervalMs: 100 },
    );
    const ns = JSON.parse(
      (await h.adminKubectl(['get', 'namespace', 'monitoring', '-o', 'json'])).stdout,
    );
    expect(ns.metadata.labels).to.not.have.property('pod-security.kubernetes.io/enforce');
    expect(ns.metadata.labels).to.not.have.property('paddock.io/project-id');
    const quotas = await h.adminKubectl(['get', 'resourcequota', '-n', 'monitoring', '-o', 'name']);
    expect(quotas.stdout).to.not.match(/paddock-project-quota/);
  });

  it('refuses a project quota the current namespaces do not fit in', async () => {
    try {
      await h.access.service.updateProject(h.admin, CLUSTER, project.id, {
        quota: { limit: { pods: '15' }, namespaceDefault: { pods: '10' } },
      });
      expect.fail('expected quota_exceeded');
    } catch (err) {
      expect((err as { reason?: string }).reason).to.equal('quota_exceeded');
    }
  });

  it('removes access within seconds of the binding being removed', async () => {
    const members = await h.access.service.projectMembers(h.admin, CLUSTER, project.id);
    const binding = members.find(
      (b) => b.subject.kind === 'user' && b.subject.userId === mia.userId,
    )!;
    expect(await canI(mia, ['create', 'deployments', '-n', 'shop'])).to.equal(true);
    await h.access.service.removeProjectMember(h.admin, binding.id);
    await waitFor(
      'mia to lose access',
      async () => ((await canI(mia, ['create', 'deployments', '-n', 'shop'])) ? undefined : true),
      { timeoutMs: 5000, intervalMs: 100 },
    );
    // Put it back for the tests that follow.
    await h.access.service.addProjectMember(
      h.admin,
      CLUSTER,
      project.id,
      `local://${mia.userId}`,
      'project-member',
    );
    await h.sync.sync(CLUSTER);
  });

  it('repairs drift: a binding deleted and a role edited by hand come back', async () => {
    const bindings = JSON.parse(
      (
        await h.adminKubectl([
          'get',
          'rolebindings',
          '-n',
          'shop',
          '-l',
          'paddock.io/owned=true',
          '-o',
          'json',
        ])
      ).stdout,
    );
    const victim: string = bindings.items[0].metadata.name;
    const del = await h.adminKubectl(['delete', 'rolebinding', victim, '-n', 'shop']);
    expect(del.code, del.stderr).to.equal(0);
    const edit = await h.adminKubectl([
      'patch',
      'clusterrole',
      'paddock-rt-read-only',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/rules","value":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]}]',
    ]);
    expect(edit.code, edit.stderr).to.equal(0);
    await waitFor(
      'the deleted binding to come back',
      async () =>
        (await h.adminKubectl(['get', 'rolebinding', victim, '-n', 'shop'])).code === 0
          ? true
          : undefined,
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    await waitFor(
      'the edited role to be repaired',
      async () => {
        const role = JSON.parse(
          (await h.adminKubectl(['get', 'clusterrole', 'paddock-rt-read-only', '-o', 'json']))
            .stdout,
        );
        return JSON.stringify(role.rules).includes('"*"') ? undefined : true;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(await canI(rob, ['delete', 'pods', '-n', 'shop'])).to.equal(false);
  });

  it('touches only objects labelled paddock.io/owned', async () => {
    const foreign = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: paddock-crtb-not-ours
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: someone }]
`;
    expect((await h.adminKubectl(['apply', '-f', '-'], foreign)).code).to.equal(0);
    await h.sync.sync(CLUSTER);
    await h.sync.sync(CLUSTER);
    expect(
      (await h.adminKubectl(['get', 'clusterrolebinding', 'paddock-crtb-not-ours'])).code,
    ).to.equal(0);
  });

  it('pushes cluster bindings as ClusterRoleBindings with the subject the proxy impersonates', async () => {
    const b = await h.access.service.addClusterMember(
      h.admin,
      CLUSTER,
      `local://${rob.userId}`,
      'nodes-view',
    );
    await h.sync.sync(CLUSTER);
    const crb = JSON.parse(
      (await h.adminKubectl(['get', 'clusterrolebinding', `paddock-crtb-${b.id}`, '-o', 'json']))
        .stdout,
    );
    expect(crb.subjects).to.deep.equal([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: rob.userId },
    ]);
    expect(await canI(rob, ['list', 'nodes'])).to.equal(true);
    expect(await canI(rob, ['delete', 'nodes'])).to.equal(false);
  });

  it('converges without errors when two replicas push down at the same moment', async () => {
    const replica = new RbacSyncController({
      clusters: h.p.registry,
      access: h.access.state,
      logger: createTestLogger(),
    });
    await h.access.service.addProjectMember(
      h.admin,
      CLUSTER,
      project.id,
      `local://${dana.userId}`,
      'read-only',
    );
    const [a, b] = await Promise.all([h.sync.sync(CLUSTER), replica.sync(CLUSTER)]);
    expect([...(a?.errors ?? []), ...(b?.errors ?? [])]).to.deep.equal([]);
    await replica.stop();
  });

  it('shows the last sync time and errors per cluster, and metrics', async () => {
    const status = await h.sync.sync(CLUSTER);
    expect(status?.lastSyncAt).to.be.a('number');
    expect(status?.errors).to.deep.equal([]);
    expect(h.sync.status('two')?.lastSyncAt).to.be.a('number');
    const text = await h.metrics.metrics();
    expect(text).to.match(/paddock_rbac_sync_last_success_timestamp_seconds\{cluster="one"\} \d/);
    expect(text).to.match(/paddock_rbac_sync_runs_total\{cluster="one",outcome="ok"\} \d/);
  });
});
