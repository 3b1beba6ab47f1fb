/**
 * What is particular to clusters behind NAT (ADR 0017), with kubesim in a network namespace
 * Paddock cannot dial into and real `paddock agent` processes beside it: the isolation itself,
 * agent health, streams spread over agent replicas, an agent killed with requests in flight
 * and restarted, wrong and rotated registration secrets, and events watched through the
 * tunnel with no other connection.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { waitFor } from '../../support/wait-for.js';
import { kubectl } from './support/kubectl.js';
import {
  type PaddockWithAgentKubesim,
  startPaddockWithAgentKubesim,
} from './support/paddock-with-agent-kubesim.js';
import type { PaddockUser } from './support/paddock-with-kubesim.js';

const run = promisify(execFile);

/** The error of a TCP dial from this (the host's) network namespace. */
function dialFromHost(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** A GET through Paddock with `token`; the status and the body. */
function getThroughPaddock(
  p: PaddockWithAgentKubesim,
  token: string,
  path: string,
  caPem: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(`${p.url}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        ca: caPem,
        headers: { authorization: `Bearer ${token}` },
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', reject);
    req.end();
  });
}

describe('clusters behind NAT, reached through their agents', function () {
  this.timeout(180_000);
  let p: PaddockWithAgentKubesim;
  let admin: PaddockUser;
  let adminTwo: PaddockUser;
  let caPem: string;

  const inFlight = async (cluster: string): Promise<number> => {
    const text = await p.metrics.getSingleMetricAsString('paddock_proxy_requests_in_flight');
    const line = text.split('\n').find((l) => l.includes(`cluster="${cluster}"`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };

  before(async () => {
    p = await startPaddockWithAgentKubesim();
    admin = await p.addUser('root-one');
    adminTwo = await p.addUser('root-two', { cluster: 'two' });
    const bind = (user: string) =>
      `{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"admin-${user}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"${user}"}]}`;
    for (const [cluster, user] of [
      ['one', admin.userId],
      ['two', adminTwo.userId],
    ] as const) {
      const r = await p.simKubectl(cluster, ['apply', '-f', '-'], bind(user));
      expect(r.code, r.stderr).to.equal(0);
    }
    caPem = await readFile(join(p.dir, 'paddock-ca.pem'), 'utf8');
  });

  after(async () => {
    await p?.stop();
  });

  it('cannot be dialled from the host: the namespace resets every connection into it', async () => {
    const { namespaceAddress } = p.sandbox;
    expect(await dialFromHost(namespaceAddress, p.simPorts.one)).to.equal('ECONNREFUSED');
    // kubesim does listen on that address: from inside the namespace the same dial works.
    const inside = await p.sandbox.exec(process.execPath, [
      '-e',
      `require('node:net').connect(${p.simPorts.one}, '${namespaceAddress}')` +
        ".on('connect', () => { console.log('connected'); process.exit(0); })" +
        ".on('error', (e) => { console.log(e.code); process.exit(1); });",
    ]);
    expect(inside.stdout.trim()).to.equal('connected');
    // And Paddock itself, asked to dial it, cannot reach it either.
    const direct = await p.registry.importDirect({
      id: 'c-direct',
      name: 'Direct attempt',
      endpoint: `https://${namespaceAddress}:${p.simPorts.one}`,
      impersonatorToken: 'x',
      managerToken: 'y',
    });
    expect(direct.health.state).to.equal('unavailable');
    await p.registry.remove('c-direct');
  });

  it("shows its agents in the cluster's health", async () => {
    const one = await p.registry.get('one');
    expect(one?.transport).to.equal('agent');
    expect(one?.health.state).to.equal('active');
    expect(one?.health.agent).to.deep.include({ connected: true, sessions: 2, version: '0.1.0' });
    expect(one?.health.agent?.lastSeenAt).to.be.a('number');
  });

  it('spreads connections to the API server over both agents of a cluster', async () => {
    // Slow answers keep the requests concurrent, so each needs a connection of its own.
    await p.setFaults('one', { latency: 300 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          getThroughPaddock(p, admin.token, '/k8s/clusters/one/api/v1/namespaces', caPem),
        ),
      );
      expect(answers.map((a) => a.status)).to.deep.equal(Array(8).fill(200));
    } finally {
      await p.clearFaults('one');
    }
    // The connections stay open for the next requests, each on the stream it was given.
    const streams = p.tunnels.streamsPerSession('one');
    expect(streams).to.have.length(2);
    for (const n of streams) expect(n).to.be.greaterThan(0);
  });

  it('keeps serving a cluster when one of its two agents dies', async () => {
    const [first] = p.agents.one;
    await first?.kill();
    await waitFor('one session left', () =>
      p.tunnels.health('one').sessions === 1 ? true : undefined,
    );
    for (let i = 0; i < 5; i++) {
      const r = await kubectl(admin.kubeconfig, ['get', 'namespaces', '-o', 'name']);
      expect(r.code, r.stderr).to.equal(0);
    }
    // A probe cut by the dying session may show `degraded` for a moment (ADR 0021).
    await waitFor('one active', async () =>
      (await p.registry.get('one'))?.health.state === 'active' ? true : undefined,
    );
    await p.startAgent('one');
    await waitFor('two sessions again', () =>
      p.tunnels.health('one').sessions === 2 ? true : undefined,
    );
  });

  it('answers a request in flight with a 503 Status when the only agent dies, and serves again within seconds of its restart', async () => {
    await p.setFaults('two', { latency: 2_500 });
    let answer: { status: number; body: string };
    try {
      const pending = getThroughPaddock(
        p,
        adminTwo.token,
        '/k8s/clusters/two/api/v1/namespaces/default/configmaps',
        caPem,
      );
      await waitFor('the request in flight', async () =>
        (await inFlight('two')) > 0 ? true : undefined,
      );
      const [only] = p.agents.two.filter((a) => !a.exited());
      await only?.kill();
      answer = await pending;
    } finally {
      await p.clearFaults('two');
    }
    expect(answer.status).to.equal(503);
    const status = JSON.parse(answer.body) as { kind: string; code: number; message: string };
    expect(status).to.include({ kind: 'Status', code: 503 });
    expect(status.message).to.match(/^cluster two is unavailable: /);
    const down = await waitFor('two unavailable', async () => {
      const s = await p.registry.get('two');
      return s?.health.state === 'unavailable' ? s : undefined;
    });
    expect(down.health.message).to.equal('no agent is connected');

    const restarted = Date.now();
    await p.startAgent('two');
    await waitFor('two active again', async () =>
      (await p.registry.get('two'))?.health.state === 'active' ? true : undefined,
    );
    const r = await kubectl(adminTwo.kubeconfig, ['get', 'configmaps']);
    expect(r.code, r.stderr).to.equal(0);
    expect(Date.now() - restarted).to.be.lessThan(10_000);
  });

  it('refuses an agent with a wrong registration token', async () => {
    const before = p.tunnels.health('two').sessions;
    const intruder = await p.startAgent('two', { token: `pdkagent_two_${'A'.repeat(43)}` });
    try {
      await waitFor('the refusal', () =>
        /refused the registration token/.test(intruder.output()) ? true : undefined,
      );
      expect(p.tunnels.health('two').sessions).to.equal(before);
      expect(
        p.logs.some((l) => /invalid registration token/.test(l.msg ?? '') && l.level === 'warn'),
      ).to.equal(true);
    } finally {
      await intruder.kill();
    }
  });

  it('disconnects agents whose secret was rotated away and takes them back once their Secret holds the new one', async () => {
    const old = await p.agentTokenInCluster('two');
    await p.registry.rotateAgentSecret('two');
    await waitFor('two without agents', () => (p.tunnels.connected('two') ? undefined : true));
    const running = p.agents.two.filter((a) => !a.exited());
    expect(running.length).to.be.greaterThan(0);
    await waitFor('the old token refused', () =>
      running.every((a) => /refused the registration token/.test(a.output())) ? true : undefined,
    );
    // The operator applies the manifest again; the kubelet updates the mounted Secret file,
    // which the running agents read at their next attempt.
    const manifest = join(p.dir, 'import-two-rotated.yaml');
    await writeFile(manifest, await p.registry.importManifest('two', { baseUrl: p.url }));
    const applied = await p.simKubectl('two', ['apply', '-f', manifest]);
    expect(applied.code, applied.stderr).to.equal(0);
    const fresh = await p.agentTokenInCluster('two');
    expect(fresh).not.to.equal(old);
    await writeFile(join(p.dir, 'mounts', 'two', 'agent', 'token'), fresh);
    await waitFor(
      'two back with the new secret',
      async () => ((await p.registry.get('two'))?.health.state === 'active' ? true : undefined),
      { timeoutMs: 15_000 },
    );
    expect(p.tunnels.health('two').sessions).to.equal(running.length);
  });

  it('watches Warning events and node changes through the tunnel, and Paddock opens no connection into the cluster', async () => {
    const manager = await p.registry.managerConnection('two');
    if (manager === undefined) throw new Error('no manager connection to two');
    const watch = async (path: string) => {
      const answer = await manager.dispatcher.request({
        origin: manager.endpoint.origin,
        path,
        method: 'GET',
        headers: { authorization: `Bearer ${manager.managerToken}` },
      });
      expect(answer.statusCode).to.equal(200);
      let text = '';
      answer.body.on('data', (c: Buffer) => {
        text += c.toString();
      });
      return { text: () => text, stop: () => answer.body.destroy() };
    };
    const events = await watch('/api/v1/events?watch=true&fieldSelector=type%3DWarning');
    const nodes = await watch('/api/v1/nodes?watch=true');
    try {
      const warning = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'disk-pressure-test', namespace: 'default' },
        involvedObject: { kind: 'Node', name: 'any' },
        reason: 'FreeDiskSpaceFailed',
        message: 'disk almost full',
        type: 'Warning',
      };
      const created = await p.simKubectl('two', ['create', '-f', '-'], JSON.stringify(warning));
      expect(created.code, created.stderr).to.equal(0);
      const node = (await p.listObjects('two', 'nodes'))[0]?.metadata.name ?? '';
      const labelled = await p.simKubectl('two', [
        'label',
        'node',
        node,
        'paddock.test/changed=yes',
      ]);
      expect(labelled.code, labelled.stderr).to.equal(0);
      await waitFor('the Warning event', () =>
        events.text().includes('FreeDiskSpaceFailed') ? true : undefined,
      );
      await waitFor('the node change', () =>
        nodes.text().includes('paddock.test/changed') ? true : undefined,
      );
    } finally {
      events.stop();
      nodes.stop();
    }
    // Every TCP connection between the host and the namespace is one the namespace opened
    // to Paddock's port: the agents' tunnels, nothing else.
    const port = new URL(p.url).port;
    const { stdout } = await run('ss', ['-Htn', 'state', 'established']);
    const withCluster = stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols.some((c) => c.startsWith(`${p.sandbox.namespaceAddress}:`)));
    expect(withCluster.length).to.be.greaterThan(0);
    for (const cols of withCluster) {
      expect(cols.join(' ')).to.contain(`${p.sandbox.hostAddress}:${port}`);
    }
  });
});
