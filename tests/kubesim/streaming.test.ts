// Compatibility matrix, part 2: streams. kubectl get -w, logs -f, exec; @kubernetes/client-node
// list, watch (informer) and exec; watch resourceVersion semantics over raw HTTP.

import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';
import { api, type ClusterRef } from './http-client.js';

async function until(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('kubesim streams with kubectl and @kubernetes/client-node', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let c: ClusterRef & { name: string; adminToken: string };
  let kubectl: Kubectl;
  let kc: k8s.KubeConfig;
  let frontendPod = '';

  before(async () => {
    sim = await startKubesim({
      clusters: 1,
      seed: 'demo',
      adminPort: false,
      timings: { logLineMs: 100 },
    });
    const first = sim.clusters[0];
    if (!first) throw new Error('no cluster');
    c = first;
    kubectl = new Kubectl(first);
    kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: c.name,
          server: c.url,
          caData: Buffer.from(c.caPem).toString('base64'),
          skipTLSVerify: false,
        },
      ],
      users: [{ name: 'admin', token: c.adminToken }],
      contexts: [{ name: 'admin', cluster: c.name, user: 'admin' }],
      currentContext: 'admin',
    });
    const pods = sim.cluster(c.name).list('pods', 'shop');
    frontendPod = pods.find((p) => p.metadata.labels?.app === 'frontend')?.metadata.name ?? '';
  });

  after(async () => {
    kubectl.cleanup();
    await sim.stop();
  });

  it('lists pods with the typed client-node API', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=frontend' });
    expect(list.items).to.have.length(3);
    expect(list.items[0]?.status?.phase).to.equal('Running');
    const page = await core.listPodForAllNamespaces({ limit: 2 });
    expect(page.items).to.have.length(2);
    expect(page.metadata?._continue).to.be.a('string');
    const rest = await core.listPodForAllNamespaces({
      limit: 100,
      _continue: page.metadata?._continue,
    });
    expect(rest.items.length).to.equal(7);
  });

  it('keeps a client-node informer in sync through watch events', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/shop/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'shop' }),
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    await informer.start();
    try {
      await until(() => seen.includes('add:frontend-config'), 'initial add');
      await core.createNamespacedConfigMap({
        namespace: 'shop',
        body: { metadata: { name: 'watched' }, data: { a: '1' } },
      });
      await core.patchNamespacedConfigMap(
        { namespace: 'shop', name: 'watched', body: { data: { a: '2' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'watched' });
      await until(() => seen.includes('delete:watched'), 'delete event');
      expect(seen.filter((s) => s.endsWith(':watched'))).to.deep.equal([
        'add:watched',
        'update:watched',
        'delete:watched',
      ]);
    } finally {
      await informer.stop();
    }
  });

  it('streams kubectl get -w rows as objects change', async () => {
    const watching = kubectl.run(['get', 'configmaps', '-n', 'payments', '-w'], {
      until: 'later',
      timeoutMs: 15_000,
    });
    await until(() => sim.cluster(c.name).sim.watches.size > 0, 'kubectl watch to start');
    sim.cluster(c.name).create('configmaps', {
      metadata: { name: 'later', namespace: 'payments' },
      data: { x: 'y' },
    });
    const r = await watching;
    expect(r.stdout).to.match(/^NAME\s+DATA\s+AGE$/m);
    expect(r.stdout).to.match(/^later\s+1\s+\d+s$/m);
  });

  it('replays events after a resourceVersion and answers 410 Expired for a compacted one', async () => {
    const token = c.adminToken;
    const list = await api(c, 'GET', '/api/v1/namespaces/monitoring/configmaps', { token });
    const rv = (list.json().metadata as { resourceVersion: string }).resourceVersion;
    sim
      .cluster(c.name)
      .create('configmaps', { metadata: { name: 'replayed', namespace: 'monitoring' } });
    const w = await api(
      c,
      'GET',
      `/api/v1/namespaces/monitoring/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
      { token },
    );
    const events = w.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((e) => `${e.type}:${e.object.metadata.name}`)).to.deep.equal([
      'ADDED:replayed',
    ]);
    const old = await api(
      c,
      'GET',
      '/api/v1/namespaces/monitoring/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1',
      { token },
    );
    const err = JSON.parse(old.text.trim()) as {
      type: string;
      object: { code: number; reason: string; message: string };
    };
    expect(err.type).to.equal('ERROR');
    expect(err.object.code).to.equal(410);
    expect(err.object.reason).to.equal('Expired');
    expect(err.object.message).to.match(/^too old resource version: 1 \(\d+\)$/);
  });

  it('sends initial events then a bookmark marking their end with sendInitialEvents', async () => {
    const w = await api(
      c,
      'GET',
      '/api/v1/namespaces/shop/services?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=&timeoutSeconds=1',
      { token: c.adminToken },
    );
    const events = w.text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            object: { metadata: { annotations?: Record<string, string> } };
          },
      );
    expect(events.map((e) => e.type)).to.deep.equal(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[2]?.object.metadata.annotations).to.deep.equal({
      'k8s.io/initial-events-end': 'true',
    });
  });

  it('prints container logs with tail and timestamps, and follows them', async () => {
    const r = await kubectl.run(['logs', '-n', 'shop', frontendPod, '--tail=2', '--timestamps']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z level=info .* container=frontend /,
    );
    const f = await kubectl.run(['logs', '-f', '-n', 'shop', frontendPod, '--tail=1'], {
      until: /(level=info.*\n){4}/,
      timeoutMs: 10_000,
    });
    expect(f.stdout.trim().split('\n').length).to.be.at.least(4);
    const many = await kubectl.run(['logs', '-n', 'shop', 'deploy/nope']);
    expect(many.code).to.equal(1);
  });

  it('runs commands through kubectl exec with exit codes and stdin', async () => {
    const echo = await kubectl.run([
      'exec',
      '-n',
      'shop',
      frontendPod,
      '--',
      'echo',
      'hello',
      'world',
    ]);
    expect(echo.stdout).to.equal('hello world\n');
    const exit = await kubectl.run(['exec', '-n', 'shop', frontendPod, '--', 'sh', '-c', 'exit 3']);
    expect(exit.code).to.equal(3);
    expect(exit.stderr).to.include('command terminated with exit code 3');
    const cat = await kubectl.run(['exec', '-i', '-n', 'shop', frontendPod, '--', 'cat'], {
      input: 'piped\n',
    });
    expect(cat.stdout).to.equal('piped\n');
    const host = await kubectl.run(['exec', '-n', 'shop', frontendPod, '--', 'hostname']);
    expect(host.stdout.trim()).to.equal(frontendPod);
    const env = await kubectl.run(['exec', '-n', 'shop', frontendPod, '--', 'env']);
    expect(env.stdout).to.include(`HOSTNAME=${frontendPod}\n`);
  });

  it('runs commands through client-node Exec over WebSocket with a status callback', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    let status: k8s.V1Status | undefined;
    const exec = new k8s.Exec(kc);
    await exec.exec(
      'shop',
      frontendPod,
      'frontend',
      ['sh', '-c', 'echo from-client && exit 4'],
      out,
      null,
      null,
      false,
      (s) => {
        status = s;
      },
    );
    await until(() => status !== undefined, 'exec status');
    expect(text).to.equal('from-client\n');
    expect(status?.status).to.equal('Failure');
    expect(status?.reason).to.equal('NonZeroExitCode');
    expect(status?.details?.causes?.[0]).to.deep.equal({ reason: 'ExitCode', message: '4' });
  });
});
