import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { waitFor } from '../../support/wait-for.js';
import { dumpDom } from './support/chromium.js';
import { kubectl, kubectlStream } from './support/kubectl.js';
import {
  type PaddockUser,
  type PaddockWithKubesim,
  startPaddockWithKubesim,
} from './support/paddock-with-kubesim.js';

// A workload serving a page meant to act with the rights of whoever opens it: in Paddock's
// origin (with the victim's session cookie) or at `kubectl proxy` (with the victim's token, and
// the same paths), it reads every secret of the cluster and marks the DOM with the outcome.
const HOSTILE_PAGE = `<html><body><p>hello</p><script>
const x = new XMLHttpRequest();
x.open('GET', '/k8s/clusters/one/api/v1/secrets', false);
x.setRequestHeader('X-Paddock-CSRF', '1');
try { x.send(); document.body.setAttribute('data-secrets', String(x.status)); }
catch (e) { document.body.setAttribute('data-secrets', 'failed'); }
</script></body></html>`;

const hostileWorkload = `apiVersion: v1
kind: Pod
metadata:
  name: evil
  namespace: shop
  labels: { app: evil }
  annotations:
    kubesim.io/app-body: ${JSON.stringify(HOSTILE_PAGE)}
spec:
  containers:
    - name: web
      image: nginx
      ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: evil
  namespace: shop
spec:
  selector: { app: evil }
  ports: [{ name: http, port: 80, targetPort: 80 }]
`;

function roleBinding(name: string, role: string, userId: string, namespace?: string): string {
  const kind = namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding';
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
${namespace === undefined ? '' : `  namespace: ${namespace}\n`}roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role} }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "${userId}" }]
`;
}

describe("a pod's page relayed by the proxy cannot act in Paddock's origin", function () {
  this.timeout(120_000);
  let p: PaddockWithKubesim;
  let mallory: PaddockUser;
  let victimCookie: string;
  let agent: Agent;
  let caPem: string;
  let host: string;
  let pagePath: string;
  let execPath: string;

  before(async () => {
    p = await startPaddockWithKubesim();
    caPem = await readFile(join(p.dir, 'paddock-ca.pem'), 'utf8');
    agent = new Agent({ connect: { ca: caPem } });
    host = new URL(p.url).host;
    mallory = await p.addUser('mallory');
    const admin = await p.identity.users.create({ username: 'victim-admin', provider: 'local' });
    const bindings = [
      roleBinding('mallory-edit', 'edit', mallory.userId, 'shop'),
      roleBinding('victim-admin', 'cluster-admin', admin.id),
    ].join('---\n');
    const bound = await kubectl(p.adminKubeconfig, ['apply', '-f', '-'], bindings);
    expect(bound.code, bound.stderr).to.equal(0);
    const session = await p.identity.sessions.create({ userId: admin.id, provider: 'local' });
    victimCookie = `paddock_session=${session.token}`;

    // The attacker deploys the page through Paddock with her own kubeconfig.
    const deployed = await kubectl(mallory.kubeconfig, ['apply', '-f', '-'], hostileWorkload);
    expect(deployed.code, deployed.stderr).to.equal(0);
    // `get --raw` replaces the server's path, so the raw path names Paddock's proxy prefix.
    const rawPath = '/k8s/clusters/one/api/v1/namespaces/shop/services/evil:80/proxy/';
    let last = '';
    await waitFor(
      'the hostile page to be served',
      async () => {
        const r = await kubectl(mallory.kubeconfig, ['get', '--raw', rawPath]);
        last = `${r.code} ${r.stdout} ${r.stderr}`;
        return r.code === 0 && r.stdout.includes('<script>') ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last answer: ${last}`);
    });
    pagePath = rawPath;
    const pods = await kubectl(p.adminKubeconfig, [
      'get',
      'pods',
      '-n',
      'shop',
      '-l',
      'app=frontend',
      '-o',
      'name',
    ]);
    const pod = pods.stdout.split('\n')[0]!.replace(/^pod\//, '');
    execPath = `/k8s/clusters/one/api/v1/namespaces/shop/pods/${pod}/exec?command=id&stdout=1&stderr=1`;
  });

  after(async () => {
    await agent?.close();
    await p?.stop();
  });

  async function fetchPage(headers: Record<string, string>) {
    const res = await request(`${p.url}${pagePath}`, { headers, dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  }

  it('refuses the victim’s cookie on a cross-site navigation to the page (401, no HTML)', async () => {
    const r = await fetchPage({
      cookie: victimCookie,
      accept: 'text/html',
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
    });
    expect(r.status).to.equal(401);
    expect(r.body).to.not.contain('<script>');
    expect(JSON.parse(r.body)).to.include({ kind: 'Status', code: 401 });
  });

  it('refuses the cookie without X-Paddock-CSRF, even from Paddock’s own origin or an old browser', async () => {
    const attempts: Record<string, string>[] = [
      { cookie: victimCookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' },
      { cookie: victimCookie },
    ];
    for (const headers of attempts) {
      const r = await fetchPage(headers);
      expect(r.status).to.equal(401);
      expect(r.body).to.not.contain('<script>');
    }
  });

  it('refuses the cookie with the header when the browser says the request is cross-site', async () => {
    const r = await fetchPage({
      cookie: victimCookie,
      'x-paddock-csrf': '1',
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    });
    expect(r.status).to.equal(401);
  });

  it('serves the page to Paddock’s own scripts only sandboxed: opaque origin, no script, nosniff', async () => {
    const r = await fetchPage({
      cookie: victimCookie,
      'x-paddock-csrf': '1',
      'sec-fetch-site': 'same-origin',
    });
    expect(r.status).to.equal(200);
    expect(r.body).to.equal(HOSTILE_PAGE);
    expect(r.headers['content-security-policy']).to.equal(
      "sandbox; default-src 'none'; frame-ancestors 'none'",
    );
    expect(r.headers['x-content-type-options']).to.equal('nosniff');
  });

  it('refuses a cookie-only WebSocket exec opened from a foreign Origin', async () => {
    const opened = await new Promise<{ status: number; output: string }>((resolve) => {
      const ws = new WebSocket(`wss://${host}${execPath}`, ['v4.channel.k8s.io'], {
        headers: { cookie: victimCookie },
        origin: 'https://evil.example',
        ca: caPem,
      });
      let output = '';
      ws.on('message', (d: Buffer) => (output += d.subarray(1).toString()));
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0, output });
        ws.terminate();
      });
      ws.on('close', () => resolve({ status: 101, output }));
      ws.on('error', () => resolve({ status: -1, output }));
    });
    expect(opened.status).to.equal(401);
    expect(opened.output).to.equal('');
  });

  it('keeps the page from running script in a real browser wherever it renders (Chromium via kubectl proxy)', async () => {
    // The victim browses a service through `kubectl proxy` on their own machine, with a
    // cluster-admin token: the relayed headers reach the browser there too.
    const victim = await p.addUser('victim-kubectl');
    const bound = await kubectl(
      p.adminKubeconfig,
      ['apply', '-f', '-'],
      roleBinding('victim-kubectl-admin', 'cluster-admin', victim.userId),
    );
    expect(bound.code, bound.stderr).to.equal(0);
    const proxy = kubectlStream(victim.kubeconfig, ['proxy', '--port=0']);
    try {
      await proxy.waitFor(/Starting to serve on 127\.0\.0\.1:\d+/, 20_000);
      const port = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(proxy.output())![1];
      // kubectl proxy keeps the path, Paddock's prefix included.
      const base = `http://127.0.0.1:${port}/k8s/clusters/one`;
      // The token works through kubectl proxy: a script running there could read secrets.
      const direct = await request(`${base}/api/v1/secrets`);
      expect(direct.statusCode).to.equal(200);
      await direct.body.dump();
      const dom = await dumpDom(`${base}/api/v1/namespaces/shop/services/evil:80/proxy/`);
      expect(dom).to.contain('<p>hello</p>');
      // The script's mark on <body> would show it ran (its own text mentions it too).
      expect(/<body[^>]*>/.exec(dom)?.[0], dom).to.equal('<body>');
    } finally {
      proxy.stop();
    }
  });

  it('keeps bearer tokens working unchanged for kubectl', async () => {
    const page = await kubectl(mallory.kubeconfig, ['get', '--raw', pagePath]);
    expect(page.code, page.stderr).to.equal(0);
    expect(page.stdout).to.equal(HOSTILE_PAGE);
    const exec = await kubectl(mallory.kubeconfig, [
      'exec',
      '-n',
      'shop',
      'evil',
      '--',
      'echo',
      'hi',
    ]);
    expect(exec.code, exec.stderr).to.equal(0);
    expect(exec.stdout.trim()).to.equal('hi');
  });
});
