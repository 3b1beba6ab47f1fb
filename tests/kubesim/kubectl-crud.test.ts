// Compatibility matrix, part 1: real kubectl against kubesim for discovery, get, create,
// apply, label, scale, patch, edit and delete.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';

const cm = (name: string) =>
  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"a":"1"}}`;

describe('kubesim with real kubectl: discovery and CRUD', function () {
  this.timeout(60_000);
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

  it('reports the server version kubectl expects', async () => {
    const r = await kubectl.run(['version', '-o', 'json']);
    expect(r.code, r.stderr).to.equal(0);
    const v = JSON.parse(r.stdout) as { serverVersion: { gitVersion: string; major: string } };
    expect(v.serverVersion.gitVersion).to.equal('v1.32.4');
    expect(v.serverVersion.major).to.equal('1');
  });

  it('lists core, apps and rbac kinds in api-resources from aggregated discovery', async () => {
    const r = await kubectl.run(['api-resources', '--no-headers']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(r.stdout).to.match(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(r.stdout).to.match(
      /^clusterroles\s+rbac\.authorization\.k8s\.io\/v1\s+false\s+ClusterRole$/m,
    );
  });

  it('prints pods in all namespaces with the server-side columns', async () => {
    const r = await kubectl.run(['get', 'pods', '-A']);
    expect(r.code, r.stderr).to.equal(0);
    const header = r.stdout.split('\n')[0] ?? '';
    expect(header.split(/\s{2,}/)).to.deep.equal([
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    expect(r.stdout).to.match(/payments\s+worker-\S+\s+0\/1\s+CrashLoopBackOff\s+7 \(\S+ ago\)/);
  });

  it('adds the priority columns with -o wide', async () => {
    const r = await kubectl.run(['get', 'nodes', '-o', 'wide']);
    expect(r.code, r.stderr).to.equal(0);
    const header = (r.stdout.split('\n')[0] ?? '').split(/\s{2,}/);
    expect(header).to.deep.equal([
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    expect(r.stdout).to.match(/kubesim-1-control-plane\s+Ready\s+control-plane/);
  });

  it('returns the real NotFound text for a missing object', async () => {
    const r = await kubectl.run(['get', 'deployment', 'nope', '-n', 'shop']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal(
      'Error from server (NotFound): deployments.apps "nope" not found',
    );
  });

  it('creates, applies, labels, scales, patches and deletes through kubectl', async () => {
    const file = join(kubectl.dir, 'app.yaml');
    const manifest = (value: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  key: "${value}"
`;
    writeFileSync(file, manifest('1'));
    let r = await kubectl.run(['apply', '-f', file]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('deployment.apps/web created\nconfigmap/web-config created\n');
    writeFileSync(file, manifest('2'));
    r = await kubectl.run(['apply', '-f', file]);
    expect(r.stdout).to.equal('deployment.apps/web unchanged\nconfigmap/web-config configured\n');
    r = await kubectl.run(['get', 'configmap', 'web-config', '-o', 'jsonpath={.data.key}']);
    expect(r.stdout).to.equal('2');

    r = await kubectl.run(['label', 'configmap', 'web-config', 'tier=front']);
    expect(r.stdout.trim()).to.equal('configmap/web-config labeled');
    r = await kubectl.run(['get', 'configmaps', '-l', 'tier in (front,back)', '-o', 'name']);
    expect(r.stdout.trim()).to.equal('configmap/web-config');

    r = await kubectl.run(['scale', 'deployment', 'web', '--replicas=4']);
    expect(r.stdout.trim()).to.equal('deployment.apps/web scaled');
    r = await kubectl.run(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']);
    expect(r.stdout).to.equal('4');

    r = await kubectl.run([
      'patch',
      'configmap',
      'web-config',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/data/extra","value":"x"}]',
    ]);
    expect(r.stdout.trim()).to.equal('configmap/web-config patched');
    r = await kubectl.run([
      'patch',
      'configmap',
      'web-config',
      '--type=merge',
      '-p',
      '{"data":{"extra":null}}',
    ]);
    r = await kubectl.run(['get', 'configmap', 'web-config', '-o', 'jsonpath={.data}']);
    expect(JSON.parse(r.stdout)).to.deep.equal({ key: '2' });

    r = await kubectl.run(['delete', '-f', file]);
    expect(r.stdout).to.equal('deployment.apps "web" deleted\nconfigmap "web-config" deleted\n');
  });

  it('edits an object through KUBE_EDITOR with a strategic merge patch', async () => {
    await kubectl.run(['create', '-f', '-'], { input: cm('editme') });
    const editor = join(kubectl.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i \'s/^  a: "1"/  a: "edited"/\' "$1"\n', {
      mode: 0o755,
    });
    const r = await kubectl.run(['edit', 'configmap', 'editme'], { env: { KUBE_EDITOR: editor } });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal('configmap/editme edited');
    const g = await kubectl.run(['get', 'configmap', 'editme', '-o', 'jsonpath={.data.a}']);
    expect(g.stdout).to.equal('edited');
  });

  it('rejects a stale resourceVersion on replace with the real Conflict text', async () => {
    await kubectl.run(['create', '-f', '-'], { input: cm('stale') });
    const r1 = await kubectl.run(['get', 'configmap', 'stale', '-o', 'json']);
    const obj = JSON.parse(r1.stdout) as { data: Record<string, string> };
    await kubectl.run(['patch', 'configmap', 'stale', '-p', '{"data":{"a":"2"}}']);
    obj.data.a = '3';
    const r = await kubectl.run(['replace', '-f', '-'], { input: JSON.stringify(obj) });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include(
      'Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('describes a deployment and a pod', async () => {
    const d = await kubectl.run(['describe', 'deployment', 'frontend', '-n', 'shop']);
    expect(d.code, d.stderr).to.equal(0);
    expect(d.stdout).to.match(
      /Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable/,
    );
    const p = await kubectl.run(['describe', 'pods', '-n', 'shop', '-l', 'app=cart']);
    expect(p.code, p.stderr).to.equal(0);
    expect(p.stdout).to.match(/Status:\s+Running/);
  });
  it("merges a Secret's stringData into data on create and on apply, as kube-apiserver does", async () => {
    const secret = (value: string) =>
      `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"strings","namespace":"default"},"data":{"kept":"a2VwdA=="},"stringData":{"token":"${value}"}}`;
    const read = async () => {
      const r = await kubectl.run(['get', 'secret', 'strings', '-o', 'json']);
      expect(r.code, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as { data: Record<string, string>; stringData?: unknown };
    };
    const created = await kubectl.run(['create', '-f', '-'], { input: secret('first') });
    expect(created.code, created.stderr).to.equal(0);
    const first = await read();
    expect(first.stringData).to.equal(undefined);
    expect(first.data).to.deep.equal({ kept: 'a2VwdA==', token: 'Zmlyc3Q=' });
    const applied = await kubectl.run(['apply', '-f', '-'], { input: secret('second') });
    expect(applied.code, applied.stderr).to.equal(0);
    expect((await read()).data.token).to.equal(Buffer.from('second').toString('base64'));
  });
});
