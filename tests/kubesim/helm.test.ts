// Compatibility matrix: the real Helm 3 CLI against kubesim, as it would run against a
// kube-apiserver. Helm validates manifests against the OpenAPI document, stores releases in
// Secrets (queried by label), waits for Deployments, StatefulSets, Jobs and Services to become
// ready, runs hook Jobs (watched with a metadata.name field selector) and deletes them by
// policy, and sends its uninstall DeleteOptions as a protobuf body.

import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { makeSampleChart } from '../../scripts/sample-charts.js';
import { type HelmCli, helmCli } from '../support/helm.js';
import { Kubectl } from '../support/kubectl.js';
import { waitFor } from '../support/wait-for.js';

describe('kubesim with the real helm CLI', function () {
  this.timeout(120_000);
  let sim: Kubesim;
  let kubectl: Kubectl;
  let helm: HelmCli;
  let hello: string;
  let ledger: string;
  const kube = () => ({ kubeconfig: kubectl.kubeconfig });

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const c = sim.clusters[0];
    if (!c) throw new Error('no cluster');
    kubectl = new Kubectl(c);
    helm = await helmCli();
    hello = await makeSampleChart(helm.binary, helm.home, { name: 'hello', version: '1.0.0' });
    ledger = await makeSampleChart(helm.binary, helm.home, { name: 'ledger', version: '0.3.0' });
  });

  after(async () => {
    await helm?.remove();
    kubectl?.cleanup();
    await sim?.stop();
  });

  it('installs with --wait once the deployment, service and pre-install hook job are ready', async () => {
    const out = await helm.ok(
      ['install', 'web', hello, '-n', 'shop', '--wait', '--timeout', '60s'],
      kube(),
    );
    expect(out).to.match(/STATUS: deployed/);
    const deploy = sim.cluster(sim.clusters[0]!.name).get('deployments.apps', 'shop', 'web-hello');
    expect(deploy, 'the deployment exists').to.not.equal(undefined);
    // hook-succeeded: the hook Job is gone once it completed.
    const hooks = await kubectl.run(['get', 'jobs', '-n', 'shop', '-o', 'name']);
    expect(hooks.stdout).to.not.contain('web-hello-prepare');
    const secrets = await kubectl.run([
      'get',
      'secrets',
      '-n',
      'shop',
      '-l',
      'owner=helm,name=web',
      '-o',
      'jsonpath={.items[*].metadata.labels.status}',
    ]);
    expect(secrets.stdout).to.equal('deployed');
  });

  it('waits for a StatefulSet, a headless Service and a Job with --wait-for-jobs', async () => {
    const out = await helm.ok(
      [
        'install',
        'books',
        ledger,
        '-n',
        'shop',
        '--set',
        'replicaCount=2',
        '--wait',
        '--wait-for-jobs',
        '--timeout',
        '60s',
      ],
      kube(),
    );
    expect(out).to.match(/STATUS: deployed/);
    const pods = await kubectl.run([
      'get',
      'pods',
      '-n',
      'shop',
      '-l',
      'app.kubernetes.io/instance=books',
      '-o',
      'name',
    ]);
    expect(pods.stdout.trim().split('\n')).to.include.members([
      'pod/books-ledger-0',
      'pod/books-ledger-1',
    ]);
    const job = await kubectl.run([
      'get',
      'job',
      'books-ledger-migrate-1',
      '-n',
      'shop',
      '-o',
      'jsonpath={.status.succeeded}',
    ]);
    expect(job.stdout).to.equal('1');
  });

  it('waits for a LoadBalancer Service until it has an address', async () => {
    await helm.ok(
      [
        'install',
        'edge',
        hello,
        '-n',
        'shop',
        '--set',
        'service.type=LoadBalancer',
        '--wait',
        '--timeout',
        '30s',
      ],
      kube(),
    );
    const svc = await kubectl.run([
      'get',
      'svc',
      'edge-hello',
      '-n',
      'shop',
      '-o',
      'jsonpath={.status.loadBalancer.ingress[0].ip}',
    ]);
    expect(svc.stdout).to.match(/^\d+\.\d+\.\d+\.\d+$/);
    await helm.ok(['uninstall', 'edge', '-n', 'shop'], kube());
  });

  it('keeps a release whose values are large in its Secret and reads them back', async () => {
    // Random text does not compress: the release Secret carries roughly 1.8 times this.
    const payload = randomBytes(150 * 1024).toString('base64');
    const file = join(helm.home, 'large-values.yaml');
    await writeFile(file, `payload: ${payload}\n`);
    await helm.ok(['install', 'big', hello, '-n', 'shop', '-f', file], kube());
    const back = await helm.ok(['get', 'values', 'big', '-n', 'shop', '-o', 'json'], kube());
    expect((JSON.parse(back) as { payload: string }).payload).to.equal(payload);
  });

  it('lists, upgrades, rolls back and shows the history of releases', async () => {
    const list = await helm.ok(['list', '-n', 'shop', '-o', 'json'], kube());
    expect((JSON.parse(list) as { name: string }[]).map((r) => r.name)).to.include.members([
      'web',
      'books',
      'big',
    ]);
    await helm.ok(
      ['upgrade', 'web', hello, '-n', 'shop', '--set', 'replicaCount=2', '--wait'],
      kube(),
    );
    await helm.ok(['rollback', 'web', '1', '-n', 'shop', '--wait'], kube());
    const history = JSON.parse(
      await helm.ok(['history', 'web', '-n', 'shop', '-o', 'json'], kube()),
    ) as {
      revision: number;
      status: string;
      description: string;
    }[];
    expect(history.map((h) => [h.revision, h.status])).to.deep.equal([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
    expect(history[2]?.description).to.equal('Rollback to 1');
  });

  it('uninstalls with --wait, which sends DeleteOptions as protobuf', async () => {
    // Before kubesim decoded protobuf DeleteOptions this failed: "Failed to purge the release".
    const r = await helm.run(['uninstall', 'web', '-n', 'shop', '--wait'], kube());
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('release "web" uninstalled');
    const left = await kubectl.run([
      'get',
      'deploy,svc,secrets,configmaps',
      '-n',
      'shop',
      '-l',
      'app.kubernetes.io/instance=web',
      '-o',
      'name',
    ]);
    expect(left.stdout.trim()).to.equal('');
    const releases = await kubectl.run([
      'get',
      'secrets',
      '-n',
      'shop',
      '-l',
      'owner=helm,name=web',
      '-o',
      'name',
    ]);
    expect(releases.stdout.trim()).to.equal('');
  });

  it('decodes a protobuf DeleteOptions of any group version and refuses a garbled one with 400', async () => {
    const c = sim.clusters[0]!;
    await kubectl.run(['create', 'configmap', 'gone', '-n', 'shop']);
    const ok = await rawDelete(
      c,
      '/api/v1/namespaces/shop/configmaps/gone',
      deleteOptions('apps/v1'),
    );
    expect(ok.status, ok.text).to.equal(200);
    // Foreground deletion: the object goes once its finalizer is handled, as in Kubernetes.
    await waitFor('the configmap to be gone', () =>
      sim.cluster(c.name).get('configmaps', 'shop', 'gone') === undefined ? true : undefined,
    );
    const bad = await rawDelete(
      c,
      '/api/v1/namespaces/shop/configmaps/web',
      Buffer.from('k8s\0\xff\xff', 'latin1'),
    );
    expect(bad.status, bad.text).to.equal(400);
  });
});

/** A hand-encoded `k8s\0` envelope around DeleteOptions{propagationPolicy: Foreground}. */
function deleteOptions(apiVersion: string): Buffer {
  const field = (num: number, bytes: Buffer) =>
    Buffer.concat([Buffer.from([(num << 3) | 2, bytes.length]), bytes]);
  const typeMeta = Buffer.concat([
    field(1, Buffer.from(apiVersion)),
    field(2, Buffer.from('DeleteOptions')),
  ]);
  const options = field(4, Buffer.from('Foreground'));
  const unknown = Buffer.concat([field(1, typeMeta), field(2, options)]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

function rawDelete(
  c: { url: string; caPem: string; adminToken: string },
  path: string,
  body: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, c.url),
      {
        method: 'DELETE',
        ca: c.caPem,
        headers: {
          authorization: `Bearer ${c.adminToken}`,
          'content-type': 'application/vnd.kubernetes.protobuf',
          accept: 'application/json',
          // Node sends a DELETE body only with an explicit length.
          'content-length': String(body.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
