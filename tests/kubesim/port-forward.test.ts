// Compatibility matrix, part 3: kubectl port-forward over the WebSocket SPDY tunnel (kubectl
// 1.32's default) and over plain SPDY, client-node's WebSocket port forwarding, and kubectl exec
// falling back to SPDY. The forwarded container ports answer HTTP through kubesim's responder.

import { Agent, request } from 'node:http';
import { createServer, type Server } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';
import { startPortForward } from '../support/port-forward-process.js';

function httpGet(
  port: number,
  path: string,
  agent?: Agent,
): Promise<{ status: number; body: string; socketPort: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, socketPort: res.socket?.localPort ?? 0 }),
      );
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('kubesim port forwarding and SPDY streams with real kubectl', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let kubectl: Kubectl;
  let pod = '';
  let kc: k8s.KubeConfig;

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const c = sim.clusters[0];
    if (!c) throw new Error('no cluster');
    kubectl = new Kubectl(c);
    const pods = sim.cluster(c.name).list('pods', 'shop');
    pod = pods.find((p) => p.metadata.labels?.app === 'frontend')?.metadata.name ?? '';
    kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: c.name, server: c.url, caData: Buffer.from(c.caPem).toString('base64') }],
      users: [{ name: 'admin', token: c.adminToken }],
      contexts: [{ name: 'admin', cluster: c.name, user: 'admin' }],
      currentContext: 'admin',
    });
  });

  after(async () => {
    kubectl.cleanup();
    await sim.stop();
  });

  const expected = (path: string, method = 'GET') =>
    `kubesim: pod shop/${pod} port 80 answered ${method} ${path}\n`;

  it('forwards HTTP through the WebSocket SPDY tunnel kubectl 1.32 uses by default', async () => {
    const pf = await startPortForward(kubectl, ['-n', 'shop', `pod/${pod}`, '0:80']);
    try {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const first = await httpGet(pf.localPort, '/hello', agent);
      const second = await httpGet(pf.localPort, '/again', agent);
      agent.destroy();
      expect(first.status).to.equal(200);
      expect(first.body).to.equal(expected('/hello'));
      expect(second.body).to.equal(expected('/again'));
      // Both requests went over one forwarded connection (keep-alive through the stream pair).
      expect(second.socketPort).to.equal(first.socketPort);
      expect(pf.output()).to.contain(`Forwarding from 127.0.0.1:${pf.localPort} -> 80`);
      expect(pf.output().match(/Handling connection for/g)).to.have.length(1);
    } finally {
      await pf.stop();
    }
  });

  it('forwards HTTP over plain SPDY when kubectl does not use WebSockets', async () => {
    const pf = await startPortForward(kubectl, ['-n', 'shop', `pod/${pod}`, '0:80'], {
      KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false',
    });
    try {
      const results = await Promise.all(['/a', '/b', '/c'].map((p) => httpGet(pf.localPort, p)));
      expect(results.map((r) => r.body)).to.deep.equal(['/a', '/b', '/c'].map((p) => expected(p)));
    } finally {
      await pf.stop();
    }
  });

  it('reports a refused container port on the error stream and kubectl gives up', async () => {
    const pf = await startPortForward(kubectl, ['-n', 'shop', `pod/${pod}`, '0:81']);
    await httpGet(pf.localPort, '/').catch(() => undefined);
    const code = await pf.exited;
    expect(code).to.equal(1);
    // klog quotes the message, escaping its inner quotes.
    const logged = pf.output().replaceAll('\\"', '"');
    expect(logged).to.match(
      /an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace ".*": failed to connect to localhost:81 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection refused/,
    );
    expect(pf.output()).to.contain('error: lost connection to pod');
  });

  it('refuses port forwarding to a user without create on pods/portforward', async () => {
    const reader = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata: {name: pod-reader, namespace: shop}',
      'rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: {name: alice-reads-pods, namespace: shop}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}',
      'subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]',
      '',
    ].join('\n');
    const applied = await kubectl.run(['apply', '-f', '-'], { input: reader });
    expect(applied.code, applied.stderr).to.equal(0);
    const r = await kubectl.as('alice', ['port-forward', '-n', 'shop', `pod/${pod}`, '0:80']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(
      `pods "${pod}" is forbidden: User "alice" cannot create resource "pods/portforward" in API group "" in the namespace "shop"`,
    );
  });

  it('forwards a port for client-node PortForward over the WebSocket channel protocol', async () => {
    const forward = new k8s.PortForward(kc);
    const server: Server = createServer((socket) => {
      void forward.portForward('shop', pod, [80], socket, null, socket);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      const r = await httpGet(port, '/from-client-node');
      expect(r.body).to.equal(expected('/from-client-node'));
    } finally {
      server.close();
    }
  });

  it('runs kubectl exec over SPDY with output, stdin and exit codes', async () => {
    const env = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
    const echo = await kubectl.run(['exec', '-n', 'shop', pod, '--', 'echo', 'over', 'spdy'], {
      env,
    });
    expect(echo.code, echo.stderr).to.equal(0);
    expect(echo.stdout).to.equal('over spdy\n');
    const cat = await kubectl.run(['exec', '-i', '-n', 'shop', pod, '--', 'cat'], {
      env,
      input: 'line one\nline two\n',
    });
    expect(cat.stdout).to.equal('line one\nline two\n');
    const failed = await kubectl.run(['exec', '-n', 'shop', pod, '--', 'sh', '-c', 'exit 7'], {
      env,
    });
    expect(failed.code).to.equal(7);
    expect(failed.stderr).to.contain('command terminated with exit code 7');
    const missing = await kubectl.run(['exec', '-n', 'shop', pod, '--', 'nosuch'], { env });
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('exec: "nosuch": executable file not found in $PATH');
  });
});
