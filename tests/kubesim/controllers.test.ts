// Compatibility matrix, part 3: controllers. kubectl rollout status/restart/undo/history against
// the simulated deployment controller, and CustomResourceDefinitions served generically.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget, shortNames: [wd]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
`;

describe('kubesim controllers with real kubectl', function () {
  this.timeout(90_000);
  let sim: Kubesim;
  let kubectl: Kubectl;

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const c = sim.clusters[0];
    if (!c) throw new Error('no cluster');
    kubectl = new Kubectl(c);
  });

  after(async () => {
    kubectl.cleanup();
    await sim.stop();
  });

  it('rolls a deployment out, restarts it and undoes an image change', async () => {
    let r = await kubectl.run([
      'create',
      'deployment',
      'web',
      '--image=nginx:1.26',
      '--replicas=3',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    r = await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(r.stdout.trim().split('\n').pop()).to.equal('deployment "web" successfully rolled out');
    r = await kubectl.run(['get', 'pods', '-l', 'app=web', '--no-headers']);
    expect(r.stdout.trim().split('\n')).to.have.length(3);
    expect(r.stdout).to.match(/^web-[a-z0-9]{10}-[a-z0-9]{5}\s+1\/1\s+Running\s+0/m);

    await kubectl.run(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    r = await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(r.code, r.stderr).to.equal(0);
    r = await kubectl.run(['rollout', 'history', 'deployment/web']);
    expect(r.stdout).to.match(/^1\s+<none>$/m);
    expect(r.stdout).to.match(/^2\s+<none>$/m);

    r = await kubectl.run(['rollout', 'undo', 'deployment/web']);
    expect(r.stdout.trim()).to.equal('deployment.apps/web rolled back');
    await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    r = await kubectl.run([
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(r.stdout).to.equal('nginx:1.26');
    r = await kubectl.run(['get', 'replicasets', '-l', 'app=web', '--no-headers']);
    expect(r.stdout.trim().split('\n')).to.have.length(2);

    r = await kubectl.run(['rollout', 'restart', 'deployment/web']);
    expect(r.stdout.trim()).to.equal('deployment.apps/web restarted');
    r = await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(r.code, r.stderr).to.equal(0);

    await kubectl.run(['scale', 'deployment/web', '--replicas=1']);
    await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    r = await kubectl.run(['delete', 'deployment', 'web']);
    expect(r.code).to.equal(0);
    const deadline = Date.now() + 10_000;
    for (;;) {
      r = await kubectl.run(['get', 'pods,replicasets', '-l', 'app=web', '-o', 'name']);
      if (r.stdout.trim() === '' || Date.now() > deadline) break;
    }
    expect(r.stdout.trim(), 'garbage collection of replicasets and pods').to.equal('');
  });

  it('reports the crash-looping demo deployment as unavailable', async () => {
    const r = await kubectl.run(['get', 'deployment', 'worker', '-n', 'payments', '--no-headers']);
    expect(r.stdout).to.match(/^worker\s+0\/1\s+1\s+0\s+/);
  });

  it('serves custom resources once their CRD is established, with printer columns', async () => {
    const file = join(kubectl.dir, 'crd.yaml');
    writeFileSync(file, CRD);
    let r = await kubectl.run(['apply', '-f', file]);
    expect(r.code, r.stderr).to.equal(0);
    r = await kubectl.run([
      'wait',
      '--for',
      'condition=established',
      'crd/widgets.example.com',
      '--timeout=10s',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    r = await kubectl.run(['apply', '-f', '-'], {
      input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n',
    });
    expect(r.stdout.trim()).to.equal('widget.example.com/w1 created');
    r = await kubectl.run(['get', 'wd']);
    expect(r.stdout).to.match(/^NAME\s+SIZE$/m);
    expect(r.stdout).to.match(/^w1\s+3$/m);
    r = await kubectl.run(['patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":5}}']);
    expect(r.code, r.stderr).to.equal(0);
    r = await kubectl.run(['get', 'widget', 'w1', '-o', 'jsonpath={.spec.size}']);
    expect(r.stdout).to.equal('5');
    r = await kubectl.run(['delete', 'crd', 'widgets.example.com']);
    expect(r.code).to.equal(0);
    expect(sim.cluster('kubesim-1').list('widgets.example.com')).to.have.length(0);
  });
});
