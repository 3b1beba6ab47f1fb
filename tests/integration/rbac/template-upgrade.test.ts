import { expect } from 'chai';
import { RbacSyncController } from '../../../src/datasources/rbac-sync/index.js';
import type { AccessStateSource } from '../../../src/domain/rbac.js';
import { waitFor } from '../../support/wait-for.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';
import { kubectl } from '../authproxy/support/kubectl.js';
import type { PaddockUser } from '../authproxy/support/paddock-with-kubesim.js';
import { PRE_FIX_READ_ONLY_RULES } from './support/pre-fix-read-only-rules.js';
import { type RbacHarness, startRbacHarness } from './support/rbac-harness.js';

const CLUSTER = 'one';

/** `kubectl auth can-i` through Paddock; `pods/exec` becomes `pods --subresource=exec`. */
async function canI(user: PaddockUser, verb: string, resource: string): Promise<boolean> {
  const [type, sub] = resource.split('/');
  const args = [
    'auth',
    'can-i',
    verb,
    type!,
    '-n',
    'shop',
    ...(sub ? [`--subresource=${sub}`] : []),
  ];
  const r = await kubectl(user.kubeconfig, args);
  return r.stdout.trim() === 'yes';
}

/** The access state as the release before the template fix saw it. */
function preFixAccess(current: AccessStateSource): AccessStateSource {
  return {
    watch: (listener) => current.watch(listener),
    async snapshot() {
      const state = await current.snapshot();
      return {
        ...state,
        roleTemplates: state.roleTemplates.map((t) =>
          t.id === 'read-only' ? { ...t, rules: [...PRE_FIX_READ_ONLY_RULES], inherits: [] } : t,
        ),
      };
    },
  };
}

describe('upgrading Paddock re-pushes the fixed read-only rules into a cluster', function () {
  this.timeout(180_000);
  let h: RbacHarness;
  let rob: PaddockUser;
  let pod: string;

  before(async () => {
    h = await startRbacHarness({ resyncIntervalMs: 600_000 });
    rob = await h.p.addUser('rob');
    const project = await h.access.service.createProject(h.admin, CLUSTER, { name: 'Shop' });
    const label = `paddock.io/project-id=${CLUSTER}_${project.id}`;
    expect((await h.adminKubectl(['label', 'namespace', 'shop', label])).code).to.equal(0);
    await h.access.service.addProjectMember(
      h.admin,
      CLUSTER,
      project.id,
      `local://${rob.userId}`,
      'read-only',
    );
    // The running release goes away; the one before the fix pushes what it knew.
    await h.sync.stop();
    const previous = new RbacSyncController({
      clusters: h.p.registry,
      access: preFixAccess(h.access.state),
      logger: createTestLogger(),
    });
    const status = await previous.sync(CLUSTER);
    expect(status?.errors).to.deep.equal([]);
    await previous.stop();
    const pods = await h.adminKubectl(['get', 'pods', '-n', 'shop', '-o', 'name']);
    pod = pods.stdout.split('\n')[0]!.replace(/^pod\//, '');
    expect(pod).to.not.equal('');
  });

  after(async () => {
    await h?.stop();
  });

  it('starts from the old rules, under which a read-only member could exec into pods', async () => {
    expect(await canI(rob, 'get', 'pods/exec')).to.equal(true);
    // kubectl 1.32 execs over a WebSocket: a GET, which the API server authorizes as get.
    const exec = await kubectl(rob.kubeconfig, ['exec', '-n', 'shop', pod, '--', 'echo', 'owned']);
    expect(exec.code, exec.stderr).to.equal(0);
    expect(exec.stdout.trim()).to.equal('owned');
  });

  it('repairs the ClusterRole on the first pass after the upgrade, so exec is refused', async () => {
    const upgraded = new RbacSyncController({
      clusters: h.p.registry,
      access: h.access.state,
      logger: createTestLogger(),
      resyncIntervalMs: 600_000,
    });
    upgraded.start();
    try {
      await waitFor(
        'the upgraded push-down to take pods/exec away from read-only',
        async () => ((await canI(rob, 'get', 'pods/exec')) ? undefined : true),
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      for (const sub of [
        'pods/exec',
        'pods/attach',
        'pods/portforward',
        'pods/proxy',
        'services/proxy',
      ]) {
        for (const verb of ['get', 'create']) {
          expect(await canI(rob, verb, sub), `${verb} ${sub}`).to.equal(false);
        }
      }
      // Still a reader.
      expect(await canI(rob, 'get', 'pods/log')).to.equal(true);
      expect(await canI(rob, 'list', 'deployments.apps')).to.equal(true);

      const exec = await kubectl(rob.kubeconfig, [
        'exec',
        '-n',
        'shop',
        pod,
        '--',
        'echo',
        'owned',
      ]);
      expect(exec.code).to.not.equal(0);
      expect(exec.stderr).to.match(/[Ff]orbidden/);
      expect(exec.stdout).to.not.contain('owned');

      const role = JSON.parse(
        (await h.adminKubectl(['get', 'clusterrole', 'paddock-rt-read-only', '-o', 'json'])).stdout,
      );
      expect(JSON.stringify(role.rules)).to.not.match(/exec|attach|portforward|proxy/);
      expect(role.metadata.labels['paddock.io/owned']).to.equal('true');
    } finally {
      await upgraded.stop();
    }
  });
});
