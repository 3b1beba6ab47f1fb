import { request } from 'node:http';
import { expect } from 'chai';
import { startPortForward } from '../../support/port-forward-process.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl } from './support/kubectl.js';
import {
  type PaddockUser,
  type PaddockWithKubesim,
  startPaddockWithKubesim,
} from './support/paddock-with-kubesim.js';

function httpGet(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('kubectl port-forward through the Paddock proxy', function () {
  this.timeout(120_000);
  let p: PaddockWithKubesim;
  let owner: PaddockUser;
  let viewer: PaddockUser;
  let pod: string;
  const portForward = (kubeconfig: string, args: string[], env: Record<string, string> = {}) =>
    startPortForward({ kubeconfig, dir: p.dir }, args, env, 20_000);

  before(async () => {
    p = await startPaddockWithKubesim();
    owner = await p.addUser('forwarder');
    viewer = await p.addUser('looker');
    const bind = (
      name: string,
      role: string,
      user: string,
    ) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ${name} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role} }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "${user}" }]
`;
    const applied = await kubectl(
      p.adminKubeconfig,
      ['apply', '-f', '-'],
      [
        bind('forwarder-admin', 'cluster-admin', owner.userId),
        bind('looker-view', 'view', viewer.userId),
      ].join('---\n'),
    );
    expect(applied.code, applied.stderr).to.equal(0);
    const pods = p.sim.cluster('one').list('pods', 'shop');
    pod = pods.find((x) => x.metadata.labels?.app === 'frontend')?.metadata.name ?? '';
    expect(pod, 'a frontend pod in the demo seed').not.to.equal('');
  });

  after(async () => {
    await p?.stop();
  });

  it('forwards a local port to a pod over the WebSocket tunnel kubectl 1.32 uses by default', async () => {
    const forward = await portForward(owner.kubeconfig, ['-n', 'shop', `pod/${pod}`, '0:80']);
    try {
      expect(await httpGet(forward.localPort)).to.equal(200);
      expect(await httpGet(forward.localPort)).to.equal(200);
    } finally {
      await forward.stop();
    }
    // The tunnel's audit line is written as it ends, which may trail kubectl's exit.
    await waitFor('the port-forward audit line', () =>
      p.audit.some((e) => e.userId === owner.userId && e.path.endsWith('/portforward'))
        ? true
        : undefined,
    );
  });

  it('forwards over plain SPDY when kubectl is told not to use WebSockets', async () => {
    const forward = await portForward(owner.kubeconfig, ['-n', 'shop', `pod/${pod}`, '0:80'], {
      KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false',
    });
    try {
      expect(await httpGet(forward.localPort)).to.equal(200);
    } finally {
      await forward.stop();
    }
  });

  it('passes on the downstream 403 to a user who may only view', async () => {
    const refused = await portForward(viewer.kubeconfig, ['-n', 'shop', `pod/${pod}`, '0:80']).then(
      async (f) => {
        // kubectl only learns of the refusal when the first connection is forwarded.
        const status = await httpGet(f.localPort).catch((err: Error) => err.message);
        await f.stop();
        return String(status);
      },
      (err: Error) => err.message,
    );
    expect(refused).to.contain('cannot create resource "pods/portforward"');
  });
});
