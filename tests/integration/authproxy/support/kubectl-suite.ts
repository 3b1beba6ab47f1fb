/**
 * The proxy's kubectl suite, run against every way Paddock reaches a cluster: the real kubectl
 * through Paddock to kubesim, dialled directly or through the clusters' agents (ADR 0017).
 */
import { expect } from 'chai';
import { UpstreamRouter } from '../../../../src/datasources/upstream/upstream-router.js';
import { waitFor } from '../../../support/wait-for.js';
import { kubectl, kubectlStream } from './kubectl.js';
import { DEVS_GROUP, type KubectlSuiteTarget, type PaddockUser } from './paddock-with-kubesim.js';

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: through-paddock
  namespace: default
data:
  greeting: hello
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: logger
  namespace: default
spec:
  containers:
    - name: main
      image: busybox
`;

function binding(name: string, role: string, kind: 'User' | 'Group', subject: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${role}
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: ${kind}
    name: "${subject}"
`;
}

/** Defines the suite under `title`, against the Paddock that `start` brings up. */
export function defineKubectlSuite(title: string, start: () => Promise<KubectlSuiteTarget>): void {
  describe(title, function () {
    this.timeout(120_000);
    let p: KubectlSuiteTarget;
    let alice: PaddockUser;
    let carol: PaddockUser;
    let bob: PaddockUser;

    before(async () => {
      p = await start();
      alice = await p.addUser('alice');
      carol = await p.addUser('carol', { groups: [DEVS_GROUP] });
      bob = await p.addUser('bob');
      // What Paddock's RBAC push-down will do; here the admin binds directly in kubesim.
      const bindings = [
        binding('alice-admin', 'cluster-admin', 'User', alice.userId),
        binding('devs-view', 'view', 'Group', DEVS_GROUP),
      ].join('---\n');
      const r = await p.adminKubectl(['apply', '-f', '-'], bindings);
      expect(r.code, r.stderr).to.equal(0);
    });

    after(async () => {
      await p?.stop();
    });

    it('imports both clusters and finds them active', async () => {
      const clusters = await p.registry.list();
      expect(
        clusters.map((c) => [c.id, c.importMethod, c.transport, c.health.state]),
      ).to.deep.equal(
        p.transport === 'agent'
          ? [
              ['one', 'manifest', 'agent', 'active'],
              ['two', 'manifest', 'agent', 'active'],
            ]
          : [
              ['one', 'kubeconfig', 'direct', 'active'],
              ['two', 'manifest', 'direct', 'active'],
            ],
      );
    });

    it('shows the Paddock user id and group principals in auth whoami', async () => {
      const r = await kubectl(carol.kubeconfig, ['auth', 'whoami', '-o', 'json']);
      expect(r.code, r.stderr).to.equal(0);
      const info = JSON.parse(r.stdout).status.userInfo as {
        username: string;
        groups: string[];
        extra?: Record<string, string[]>;
      };
      expect(info.username).to.equal(carol.userId);
      expect(info.groups).to.include.members([DEVS_GROUP, 'system:authenticated']);
      expect(info.extra?.['paddock.io/username']).to.deep.equal(['carol']);
      expect(info.extra?.['paddock.io/principal-id']).to.deep.equal([`local://${carol.userId}`]);
    });

    it('answers auth can-i from the downstream RBAC for the impersonated user and groups', async () => {
      const yes = await kubectl(carol.kubeconfig, ['auth', 'can-i', 'list', 'pods']);
      expect(yes.stdout.trim()).to.equal('yes');
      const no = await kubectl(carol.kubeconfig, ['auth', 'can-i', 'create', 'configmaps']);
      expect(no.stdout.trim()).to.equal('no');
      const admin = await kubectl(alice.kubeconfig, ['auth', 'can-i', '*', '*']);
      expect(admin.stdout.trim()).to.equal('yes');
    });

    it('gets namespaces and lists pods across all namespaces', async () => {
      const ns = await kubectl(alice.kubeconfig, ['get', 'namespaces', '-o', 'name']);
      expect(ns.code, ns.stderr).to.equal(0);
      expect(ns.stdout).to.contain('namespace/default').and.contain('namespace/paddock-system');
      const all = await kubectl(carol.kubeconfig, ['get', 'pods', '-A']);
      expect(all.code, all.stderr).to.equal(0);
    });

    it('applies, reads back and deletes an object, auditing the writes', async () => {
      const applied = await kubectl(alice.kubeconfig, ['apply', '-f', '-'], CONFIGMAP);
      expect(applied.code, applied.stderr).to.equal(0);
      expect(applied.stdout).to.contain('configmap/through-paddock');
      const got = await kubectl(alice.kubeconfig, [
        'get',
        'configmap',
        'through-paddock',
        '-o',
        'jsonpath={.data.greeting}',
      ]);
      expect(got.stdout).to.equal('hello');
      const deleted = await kubectl(alice.kubeconfig, ['delete', 'configmap', 'through-paddock']);
      expect(deleted.code, deleted.stderr).to.equal(0);
      const writes = p.audit.filter(
        (e) => e.userId === alice.userId && e.path.includes('through-paddock'),
      );
      expect(writes.map((e) => e.verb)).to.include('delete');
      expect(
        p.audit.some(
          (e) => e.userId === alice.userId && (e.verb === 'create' || e.verb === 'patch'),
        ),
      ).to.equal(true);
    });

    it('passes on the downstream 403 to a user without bindings', async () => {
      const r = await kubectl(bob.kubeconfig, ['get', 'pods']);
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/Forbidden/);
      expect(r.stderr).to.contain(bob.userId);
    });

    it('streams get -w events as objects change', async () => {
      const watch = kubectlStream(carol.kubeconfig, [
        'get',
        'configmaps',
        '-w',
        '--request-timeout=0',
      ]);
      try {
        await watch.waitFor(/kube-root-ca\.crt|NAME/, 20_000);
        const created = await kubectl(alice.kubeconfig, ['create', 'configmap', 'watched-one']);
        expect(created.code, created.stderr).to.equal(0);
        await watch.waitFor(/watched-one/, 20_000);
        // kubesim offers h2 like kube-apiserver: the watch shares an HTTP/2 connection.
        const upstream = (await p.registry.connection(p.clusterIds.one))?.upstream;
        expect(upstream).to.be.instanceOf(UpstreamRouter);
        expect((upstream as UpstreamRouter).http2.connections).to.be.at.least(1);
      } finally {
        watch.stop();
      }
    });

    it('follows pod logs as they are written', async () => {
      const applied = await kubectl(alice.kubeconfig, ['apply', '-f', '-'], POD);
      expect(applied.code, applied.stderr).to.equal(0);
      const ready = await kubectl(alice.kubeconfig, [
        'wait',
        '--for=condition=Ready',
        'pod/logger',
        '--timeout=30s',
      ]);
      expect(
        ready.code,
        `${ready.stderr}${ready.stdout}${(await kubectl(alice.kubeconfig, ['get', 'pod', 'logger', '-o', 'yaml'])).stdout}`,
      ).to.equal(0);
      const logs = kubectlStream(alice.kubeconfig, ['logs', '-f', 'logger']);
      try {
        await logs.waitFor(/ts_seq=\d+/, 20_000);
        const first = (logs.output().match(/ts_seq=\d+/g) ?? []).length;
        await logs.waitFor(new RegExp(`(ts_seq=\\d+[\\s\\S]*){${first + 1}}`), 20_000);
        expect(logs.exited()).to.equal(false);
      } finally {
        logs.stop();
      }
    });

    it('runs a command in a pod with kubectl exec through the tunnel', async () => {
      const r = await kubectl(alice.kubeconfig, [
        'exec',
        'logger',
        '--',
        'echo',
        'through-paddock',
      ]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout.trim()).to.equal('through-paddock');
      const tunnels = p.audit.filter((e) => e.userId === alice.userId && e.path.endsWith('/exec'));
      expect(tunnels.length).to.be.greaterThan(0);
    });

    it('passes stdin through an interactive exec', async () => {
      const r = await kubectl(
        alice.kubeconfig,
        ['exec', '-i', 'logger', '--', 'cat'],
        'piped-in\n',
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal('piped-in\n');
    });

    it('runs exec over SPDY when kubectl is told not to use WebSockets', async () => {
      const r = await kubectl(
        alice.kubeconfig,
        ['exec', '-i', 'logger', '--', 'cat'],
        'over-spdy\n',
        { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' },
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal('over-spdy\n');
      // kubectl asks for a WebSocket with GET and for SPDY with POST; the audit line is
      // written as the tunnel ends, which may trail kubectl's exit.
      await waitFor('the SPDY exec audit line', () =>
        p.audit.some(
          (e) => e.userId === alice.userId && e.path.endsWith('/exec') && e.method === 'POST',
        )
          ? true
          : undefined,
      );
    });

    it('attaches to a running container and streams its output until detached', async () => {
      const attached = kubectlStream(alice.kubeconfig, ['attach', 'logger', '-c', 'main']);
      try {
        await attached.waitFor(/ts_seq=\d+/, 20_000);
        const first = (attached.output().match(/ts_seq=\d+/g) ?? []).length;
        await attached.waitFor(new RegExp(`(ts_seq=\\d+[\\s\\S]*){${first + 1}}`), 20_000);
        expect(attached.exited()).to.equal(false);
      } finally {
        attached.stop();
      }
      await waitFor('the attach audit line', () =>
        p.audit.some((e) => e.userId === alice.userId && e.path.endsWith('/attach'))
          ? true
          : undefined,
      );
    });

    it('refuses exec to a user with only view rights, with the downstream 403', async () => {
      const r = await kubectl(carol.kubeconfig, ['exec', 'logger', '--', 'echo', 'x']);
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/[Ff]orbidden/);
    });

    it('reaches the second cluster, imported through the manifest', async () => {
      const dave = await p.addUser('dave', { cluster: 'two' });
      const r = await kubectl(dave.kubeconfig, [
        'auth',
        'whoami',
        '-o',
        'jsonpath={.status.userInfo.username}',
      ]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal(dave.userId);
    });

    it('refuses a key scoped to cluster one on cluster two', async () => {
      const scoped = await p.addUser('erin', { clusterScope: 'one', cluster: 'two' });
      const r = await kubectl(scoped.kubeconfig, ['get', 'pods']);
      expect(r.code).to.not.equal(0);
      expect(r.stderr).to.match(/Forbidden|limited to another cluster/);
    });

    it('ends a running watch within seconds when its key is revoked', async () => {
      const frank = await p.addUser('frank', { groups: [DEVS_GROUP] });
      const watch = kubectlStream(frank.kubeconfig, [
        'get',
        'configmaps',
        '-w',
        '--request-timeout=0',
      ]);
      try {
        await watch.waitFor(/NAME|kube-root-ca/, 20_000);
        await p.identity.apiKeys.revoke(frank.keyId);
        await watch.waitExit(10_000);
        const again = await kubectl(frank.kubeconfig, ['get', 'configmaps']);
        expect(again.code).to.not.equal(0);
        expect(again.stderr).to.match(/Unauthorized|must be logged in/i);
      } finally {
        watch.stop();
      }
    });

    it('answers 503 fast for a cluster that is down and recovers once it is back', async () => {
      const dave = await p.addUser('gina', { cluster: 'two' });
      await p.setFaults('two', { down: true });
      try {
        // Two failed probes in a row: one alone is only `degraded`.
        await p.registry.probe('two');
        const health = await p.registry.probe('two');
        expect(health.state).to.equal('unavailable');
        const started = Date.now();
        const r = await kubectl(dave.kubeconfig, ['auth', 'whoami']);
        expect(r.code).to.not.equal(0);
        expect(r.stderr, r.stderr).to.match(/unavailable|ServiceUnavailable|503/i);
        expect(Date.now() - started).to.be.lessThan(5000);
      } finally {
        await p.clearFaults('two');
      }
      // Coming back goes through `degraded`: two good probes in a row make it active.
      await p.registry.probe('two');
      expect((await p.registry.probe('two')).state).to.equal('active');
      const back = await kubectl(dave.kubeconfig, ['auth', 'whoami']);
      expect(back.code, back.stderr).to.equal(0);
    });

    it('lists API resources through the proxy', async () => {
      const r = await kubectl(alice.kubeconfig, ['api-resources', '-o', 'name']);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('pods').and.contain('deployments.apps');
    });
  });
}
