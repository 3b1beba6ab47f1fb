// Watch semantics with selectors, as the apiserver's watch cache serves them: an update that
// moves an object into a label/field selection arrives as ADDED, one that moves it out as
// DELETED (carrying the previous state at the update's resourceVersion).

import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';
import { api, type ClusterRef } from './http-client.js';

interface WatchEvent {
  type: string;
  object: { metadata: { name: string; resourceVersion: string; labels?: Record<string, string> } };
}

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('kubesim watches with selectors', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let c: ClusterRef & { name: string; adminToken: string };
  let kubectl: Kubectl;

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const first = sim.clusters[0];
    if (!first) throw new Error('no cluster');
    c = first;
    kubectl = new Kubectl(first);
  });

  after(async () => {
    kubectl.cleanup();
    await sim.stop();
  });

  const relabel = (name: string, tier: string) =>
    api(c, 'PATCH', `/api/v1/namespaces/payments/configmaps/${name}`, {
      token: c.adminToken,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: { metadata: { labels: { tier } } },
    });

  it('sends ADDED and DELETED when a label change moves an object in and out of the selection', async () => {
    const list = await api(c, 'GET', '/api/v1/namespaces/payments/configmaps', {
      token: c.adminToken,
    });
    const rv = (list.json().metadata as { resourceVersion: string }).resourceVersion;
    const create = await api(c, 'POST', '/api/v1/namespaces/payments/configmaps', {
      token: c.adminToken,
      body: { metadata: { name: 'moving', labels: { tier: 'back' } } },
    });
    expect(create.status).to.equal(201);
    expect((await relabel('moving', 'front')).status).to.equal(200);
    const touched = await api(c, 'PATCH', '/api/v1/namespaces/payments/configmaps/moving', {
      token: c.adminToken,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: { data: { touched: 'yes' } },
    });
    expect(touched.status).to.equal(200);
    const out = await relabel('moving', 'back');
    const outRv = (out.json().metadata as { resourceVersion: string }).resourceVersion;
    // Replayed from history through a watch resuming at the list's resourceVersion.
    const w = await api(
      c,
      'GET',
      `/api/v1/namespaces/payments/configmaps?watch=true&labelSelector=tier%3Dfront&resourceVersion=${rv}&timeoutSeconds=1`,
      { token: c.adminToken },
    );
    const events = w.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchEvent);
    expect(events.map((e) => e.type)).to.deep.equal(['ADDED', 'MODIFIED', 'DELETED']);
    const deleted = events[2];
    expect(deleted?.object.metadata.labels).to.deep.equal({ tier: 'front' });
    expect(deleted?.object.metadata.resourceVersion).to.equal(outRv);
  });

  it('shows the transitions in kubectl get -w --output-watch-events', async () => {
    await api(c, 'POST', '/api/v1/namespaces/payments/configmaps', {
      token: c.adminToken,
      body: { metadata: { name: 'watched-move', labels: { tier: 'back' } } },
    });
    const watching = kubectl.run(
      ['get', 'configmaps', '-n', 'payments', '-l', 'tier=front', '-w', '--output-watch-events'],
      // The whole line: output arrives in chunks, and the age column may come after the name.
      { until: /DELETED\s+watched-move\s+\S+\s+\S+\n/, timeoutMs: 15_000 },
    );
    await until(() => sim.cluster(c.name).sim.watches.size > 0, 'kubectl watch to start');
    await relabel('watched-move', 'front');
    await relabel('watched-move', 'back');
    const r = await watching;
    expect(r.stdout).to.match(/^ADDED\s+watched-move\s+0\s+\d+s$/m);
    expect(r.stdout).to.match(/^DELETED\s+watched-move\s+0\s+\d+s$/m);
  });
});
