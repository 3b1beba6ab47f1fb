// The real Helm 3 CLI through Paddock's proxy to kubesim, with a Paddock kubeconfig token: the
// same path Paddock's own Helm runner takes. Each request is impersonated, so the downstream
// RBAC decides; protobuf request bodies (Helm's uninstall DeleteOptions) pass through untouched.

import { expect } from 'chai';
import { makeSampleChart } from '../../../scripts/sample-charts.js';
import { type HelmCli, helmCli } from '../../support/helm.js';
import { kubectl } from './support/kubectl.js';
import {
  type PaddockUser,
  type PaddockWithKubesim,
  startPaddockWithKubesim,
} from './support/paddock-with-kubesim.js';

function editIn(namespace: string, userId: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: helm-editor, namespace: ${namespace} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "${userId}" }]
`;
}

describe('helm through the Paddock proxy to kubesim', function () {
  this.timeout(180_000);
  let p: PaddockWithKubesim;
  let helm: HelmCli;
  let chart: string;
  let dora: PaddockUser;
  let vic: PaddockUser;

  before(async () => {
    p = await startPaddockWithKubesim();
    helm = await helmCli();
    chart = await makeSampleChart(helm.binary, helm.home, { name: 'hello', version: '1.0.0' });
    dora = await p.addUser('dora');
    vic = await p.addUser('vic');
    const r = await kubectl(p.adminKubeconfig, ['apply', '-f', '-'], editIn('shop', dora.userId));
    expect(r.code, r.stderr).to.equal(0);
  });

  after(async () => {
    await helm?.remove();
    await p?.stop();
  });

  it('installs, upgrades, rolls back and uninstalls as the impersonated user', async () => {
    const kube = { kubeconfig: dora.kubeconfig };
    await helm.ok(['install', 'web', chart, '-n', 'shop', '--wait', '--timeout', '60s'], kube);
    await helm.ok(['upgrade', 'web', chart, '-n', 'shop', '--set', 'replicaCount=2'], kube);
    await helm.ok(['rollback', 'web', '1', '-n', 'shop'], kube);
    const un = await helm.run(['uninstall', 'web', '-n', 'shop', '--wait'], kube);
    expect(un.code, un.stderr).to.equal(0);
    // The release Secret delete carried protobuf DeleteOptions through the proxy.
    const deletes = p.audit.filter(
      (e) => e.verb === 'delete' && e.userId === dora.userId && e.path.includes('/secrets/'),
    );
    expect(deletes.map((e) => e.status)).to.include(200);
    const left = await kubectl(p.adminKubeconfig, [
      'get',
      'secrets',
      '-n',
      'shop',
      '-l',
      'owner=helm,name=web',
      '-o',
      'name',
    ]);
    expect(left.stdout.trim()).to.equal('');
  });

  it('stops a user without rights at the downstream RBAC with a 403', async () => {
    const r = await helm.run(['install', 'intruder', chart, '-n', 'shop'], {
      kubeconfig: vic.kubeconfig,
    });
    expect(r.code).to.not.equal(0);
    expect(r.stderr).to.match(/forbidden/i);
    expect(r.stderr).to.contain(vic.userId);
  });
});
