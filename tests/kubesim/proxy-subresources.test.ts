// pods/proxy and services/proxy: the request reaches the pod's simulated app (the same one
// port-forward reaches) and its answer comes back as the pod sent it.

import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { api, type ClusterRef } from './http-client.js';

describe('kubesim pods/proxy and services/proxy', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let c: ClusterRef & {
    name: string;
    adminToken: string;
    users: Record<string, { token: string }>;
  };

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const first = sim.clusters[0];
    if (!first) throw new Error('no cluster');
    c = first;
  });

  after(async () => {
    await sim.stop();
  });

  it('relays a GET through a service to one of its running pods, path and query included', async () => {
    const r = await api(
      c,
      'GET',
      '/api/v1/namespaces/shop/services/frontend:http/proxy/status?x=1',
      {
        token: c.adminToken,
        headers: { Accept: '*/*' },
      },
    );
    expect(r.status, r.text).to.equal(200);
    expect(r.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(r.text).to.match(
      /^kubesim: pod shop\/frontend-\S+ port 80 answered GET \/status\?x=1\n$/,
    );
  });

  it('relays to a pod by name and port', async () => {
    const pod =
      sim
        .cluster(c.name)
        .list('pods', 'shop')
        .find((p) => p.metadata.labels?.app === 'frontend')?.metadata.name ?? '';
    const r = await api(c, 'POST', `/api/v1/namespaces/shop/pods/${pod}:80/proxy/`, {
      token: c.adminToken,
      body: 'ignored',
    });
    expect(r.status, r.text).to.equal(200);
    expect(r.text).to.contain(`pod shop/${pod} port 80 answered POST /`);
  });

  it("serves a pod's kubesim.io/app-body document with its content type", async () => {
    sim.cluster(c.name).create('pods', {
      metadata: {
        name: 'page',
        namespace: 'payments',
        labels: { app: 'page' },
        annotations: { 'kubesim.io/app-body': '<html><body>hi</body></html>' },
      },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
    });
    sim.cluster(c.name).create('services', {
      metadata: { name: 'page', namespace: 'payments' },
      spec: { selector: { app: 'page' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const deadline = Date.now() + 10_000;
    let r = await api(c, 'GET', '/api/v1/namespaces/payments/services/page/proxy/', {
      token: c.adminToken,
    });
    while (r.status !== 200 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 50));
      r = await api(c, 'GET', '/api/v1/namespaces/payments/services/page/proxy/', {
        token: c.adminToken,
      });
    }
    expect(r.status, r.text).to.equal(200);
    expect(r.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(r.text).to.equal('<html><body>hi</body></html>');
  });

  it('answers 404 for a missing service and 503 for one without running pods', async () => {
    const missing = await api(c, 'GET', '/api/v1/namespaces/shop/services/nope/proxy/', {
      token: c.adminToken,
    });
    expect(missing.status).to.equal(404);
    sim.cluster(c.name).create('services', {
      metadata: { name: 'empty', namespace: 'shop' },
      spec: { selector: { app: 'nobody' }, ports: [{ port: 80 }] },
    });
    const empty = await api(c, 'GET', '/api/v1/namespaces/shop/services/empty/proxy/', {
      token: c.adminToken,
    });
    expect(empty.status).to.equal(503);
    expect(empty.json().message).to.match(/no endpoints available/);
  });

  it('authorizes the proxy subresource like the apiserver: get on services/proxy', async () => {
    const alice = c.users.alice?.token ?? '';
    const r = await api(c, 'GET', '/api/v1/namespaces/shop/services/frontend/proxy/', {
      token: alice,
    });
    expect(r.status).to.equal(403);
    expect(r.json().message).to.contain('cannot get resource "services/proxy"');
  });
});
