// kubesim reads boolean query parameters as kube-apiserver does (Convert_Slice_string_To_bool):
// `watch=True` from the official Python client is a watch, not a list.

import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { api, type ClusterRef } from './http-client.js';

function watchEvents(text: string): { type: string }[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string });
}

describe('kubesim boolean query parameters', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let c: ClusterRef & { name: string; adminToken: string };
  let pod = '';

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const first = sim.clusters[0];
    if (!first) throw new Error('no cluster');
    c = first;
    pod = sim.cluster(c.name).list('pods', 'shop')[0]?.metadata.name ?? '';
  });

  after(async () => {
    await sim.stop();
  });

  for (const value of ['True', 't', 'yes', '', '1', 'TRUE']) {
    it(`answers watch=${value} with a watch stream, not a List`, async () => {
      const r = await api(
        c,
        'GET',
        `/api/v1/namespaces/shop/configmaps?watch=${value}&timeoutSeconds=1`,
        {
          token: c.adminToken,
        },
      );
      expect(r.status).to.equal(200);
      const events = watchEvents(r.text);
      expect(events.length).to.be.greaterThan(0);
      expect(events.every((e) => e.type === 'ADDED')).to.equal(true);
    });
  }

  for (const value of ['false', 'False', '0']) {
    it(`answers watch=${value} with a List`, async () => {
      const r = await api(c, 'GET', `/api/v1/namespaces/shop/configmaps?watch=${value}`, {
        token: c.adminToken,
      });
      expect(r.status).to.equal(200);
      expect(r.json().kind).to.equal('ConfigMapList');
    });
  }

  it('sends bookmarks for allowWatchBookmarks=True with sendInitialEvents=t', async () => {
    const r = await api(
      c,
      'GET',
      '/api/v1/namespaces/shop/configmaps?watch=1&allowWatchBookmarks=True&sendInitialEvents=t&resourceVersionMatch=NotOlderThan&timeoutSeconds=1',
      { token: c.adminToken },
    );
    expect(r.status, r.text).to.equal(200);
    expect(watchEvents(r.text).map((e) => e.type)).to.include('BOOKMARK');
  });

  it('refuses sendInitialEvents=False without allowWatchBookmarks as the apiserver does', async () => {
    const r = await api(
      c,
      'GET',
      '/api/v1/namespaces/shop/configmaps?watch=1&sendInitialEvents=False&resourceVersionMatch=NotOlderThan',
      { token: c.adminToken },
    );
    expect(r.status).to.equal(400);
  });

  it('orphans the dependents of a delete with orphanDependents=t', async () => {
    const r = await api(
      c,
      'DELETE',
      '/apis/apps/v1/namespaces/shop/deployments/cart?orphanDependents=t',
      {
        token: c.adminToken,
      },
    );
    expect(r.status, r.text).to.be.oneOf([200, 202]);
    const deadline = Date.now() + 10_000;
    while (
      sim
        .cluster(c.name)
        .list('deployments.apps', 'shop')
        .some((d) => d.metadata.name === 'cart')
    ) {
      if (Date.now() > deadline) throw new Error('the deployment was not deleted');
      await new Promise((ok) => setTimeout(ok, 20));
    }
    const sets = sim
      .cluster(c.name)
      .list('replicasets.apps', 'shop')
      .filter((rs) => rs.metadata.labels?.app === 'cart');
    expect(sets).to.have.length(1);
    expect(sets[0]?.metadata.ownerReferences ?? []).to.deep.equal([]);
  });

  it('prefixes log lines with timestamps for timestamps=True and refuses previous=yes', async () => {
    const logs = await api(
      c,
      'GET',
      `/api/v1/namespaces/shop/pods/${pod}/log?timestamps=True&tailLines=1`,
      {
        token: c.adminToken,
      },
    );
    expect(logs.status, logs.text).to.equal(200);
    expect(logs.text).to.match(/^\d{4}-\d\d-\d\dT\S+Z /);
    const previous = await api(c, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?previous=yes`, {
      token: c.adminToken,
    });
    expect(previous.status).to.equal(400);
    const notPrevious = await api(
      c,
      'GET',
      `/api/v1/namespaces/shop/pods/${pod}/log?previous=0&tailLines=1`,
      {
        token: c.adminToken,
      },
    );
    expect(notPrevious.status).to.equal(200);
  });
});
