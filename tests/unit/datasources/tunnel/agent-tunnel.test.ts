import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { callCluster } from '../../../../src/datasources/cluster-request.js';
import {
  type ClusterTransport,
  createClusterTransport,
} from '../../../../src/datasources/cluster-transport.js';
import {
  AGENT_TUNNEL_PROTOCOLS,
  formatAgentToken,
  TUNNEL_ERROR_CODE,
} from '../../../../src/datasources/tunnel/tunnel-protocol.js';
import { streamFrameHeader } from '../../../../src/datasources/tunnel/websocket-stream.js';
import type { UpstreamSink } from '../../../../src/domain/cluster-upstream.js';
import { isPaddockError } from '../../../../src/errors/index.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { createTestCa } from '../../../support/test-ca.js';
import { waitFor } from '../../../support/wait-for.js';
import { type FakeApiServer, json, startFakeApiServer } from '../support/fake-api-server.js';
import { CLUSTER, SECRET, startTunnelBed, type TunnelBed } from './support/tunnel-bed.js';

/** One proxied request through a transport's lean upstream; resolves with status and body. */
function viaUpstream(
  transport: ClusterTransport,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    const sink: UpstreamSink = {
      onHead: (s) => {
        status = s;
      },
      onData: (c) => {
        chunks.push(c);
        return true;
      },
      onEnd: () => resolve({ status, body: Buffer.concat(chunks).toString() }),
      onError: reject,
    };
    transport.upstream.send(
      { method: 'GET', path, headers: { host: 'api' }, idleTimeoutMs: 10_000 },
      sink,
    );
  });
}

function viaAgent(transport: ClusterTransport, url: string, path: string): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: target.hostname, port: target.port, path, agent: transport.agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A `paddock-tunnel.v2` upgrade by hand: the status, and the socket when it was 101. */
function upgradeV2(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; socket?: Duplex }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/v1/connect`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-protocol': 'paddock-tunnel.v2',
        ...headers,
      },
    });
    req.on('response', (res: IncomingMessage) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('upgrade', (res: IncomingMessage, socket: Duplex) =>
      resolve({ status: res.statusCode ?? 0, socket }),
    );
    req.on('error', reject);
    req.end();
  });
}

describe('agent tunnel (Paddock side and agent, in one process)', function () {
  this.timeout(20_000);
  let api: FakeApiServer;
  let bed: TunnelBed;
  const transports: ClusterTransport[] = [];

  const transportTo = (url = api.url, caPem = api.caPem) => {
    const t = createClusterTransport(
      { endpoint: new URL(url), caPem, dangerouslySkipTlsVerify: false },
      { connectTimeoutMs: 3_000 },
      bed.hub.dialer(CLUSTER),
    );
    transports.push(t);
    return t;
  };
  const connected = (sessions = 1) =>
    waitFor(`${sessions} agent session(s)`, () =>
      bed.hub.health(CLUSTER).sessions >= sessions ? true : undefined,
    );

  beforeEach(async () => {
    api = await startFakeApiServer();
    api.route('GET /version', (_req, res) => json(res, 200, { gitVersion: 'v1.32.0-tunnel' }));
    bed = await startTunnelBed(api.url, api.caPem);
  });

  afterEach(async () => {
    for (const t of transports.splice(0)) await t.close();
    await bed.close();
    await api.close();
  });

  it('registers the agent with what it read of its cluster', async () => {
    bed.startAgent();
    await connected();
    expect(bed.registrations).to.have.length(1);
    expect(bed.registrations[0]).to.deep.include({
      agentVersion: '9.9.9-test',
      apiServer: api.url,
      impersonatorToken: 'imp-token',
      managerToken: 'mgr-token',
    });
    expect(bed.hub.health(CLUSTER)).to.deep.include({
      connected: true,
      sessions: 1,
      version: '9.9.9-test',
    });
  });

  it("carries Paddock's own calls, proxied requests and upgrade-agent requests over TLS verified with the cluster CA", async () => {
    bed.startAgent();
    await connected();
    const t = transportTo();
    const answer = await callCluster(
      { endpoint: new URL(api.url), dispatcher: t.dispatcher },
      { path: '/version', token: 'mgr-token', timeoutMs: 5_000 },
    );
    expect(answer.json()).to.deep.equal({ gitVersion: 'v1.32.0-tunnel' });
    expect(await viaUpstream(t, '/version')).to.deep.equal({
      status: 200,
      body: JSON.stringify({ gitVersion: 'v1.32.0-tunnel' }),
    });
    expect(await viaAgent(t, api.url, '/version')).to.equal(200);
    expect(api.requests.filter((r) => r.url === '/version')).to.have.length(3);
  });

  it('keeps TLS end to end: a CA other than the cluster one fails verification through the tunnel', async () => {
    bed.startAgent();
    await connected();
    const dir = await makeTempDir('tunnel-ca');
    const otherCa = await createTestCa(dir.path, 'not-the-cluster').finally(() => dir.remove());
    const t = transportTo(api.url, otherCa.caPem);
    const err = await callCluster(
      { endpoint: new URL(api.url), dispatcher: t.dispatcher },
      { path: '/version', token: 'x', timeoutMs: 5_000 },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPaddockError(err) && err.reason).to.equal('tls_verification_failed');
    expect(api.requests.filter((r) => r.url === '/version')).to.have.length(0);
  });

  it('answers with the tunnel error code at once when no agent is connected', async () => {
    const t = transportTo();
    const err = await viaUpstream(t, '/version').then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(err?.code).to.equal(TUNNEL_ERROR_CODE);
    expect(err?.message).to.match(/no agent of cluster c-tunnel is connected/);
  });

  it('refuses a stream to anything but the API server it was given', async () => {
    bed.startAgent();
    await connected();
    const stream = bed.hub.open(CLUSTER, '127.0.0.1:22');
    const err = await new Promise<Error & { code?: string }>((resolve) => {
      stream.on('error', resolve);
      stream.resume();
    });
    expect(err.code).to.equal(TUNNEL_ERROR_CODE);
    expect(err.message).to.match(/refused a connection to 127\.0\.0\.1:22/);
    expect(bed.logs.some((l) => /other than the API server/.test(l.msg ?? ''))).to.equal(true);
  });

  it('spreads new streams over every connected agent', async () => {
    const one = bed.startAgent();
    const two = bed.startAgent();
    await connected(2);
    // Requests held open by the server, so each new one needs a connection of its own.
    const held: (() => void)[] = [];
    api.route('GET /slow', (_req, res) => {
      held.push(() => json(res, 200, {}));
    });
    const t = transportTo();
    const calls = Array.from({ length: 6 }, () => viaUpstream(t, '/slow'));
    await waitFor('six held requests', () => (held.length === 6 ? true : undefined));
    expect(one.connects()).to.equal(3);
    expect(two.connects()).to.equal(3);
    for (const release of held) release();
    await Promise.all(calls);
  });

  it('fails an in-flight request with the tunnel error code when its session drops, and the agent comes back by itself', async () => {
    bed.startAgent();
    await connected();
    api.route('GET /hang', () => undefined);
    const t = transportTo();
    const inFlight = viaUpstream(t, '/hang').then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    await waitFor('the request at the API server', () =>
      api.requests.some((r) => r.url === '/hang') ? true : undefined,
    );
    bed.hub.closeCluster(CLUSTER, 'test: the tunnel broke');
    const err = await inFlight;
    expect(err?.code).to.equal(TUNNEL_ERROR_CODE);
    expect(err?.message).to.match(/the tunnel broke/);
    await waitFor('the agent reconnected', () => (bed.hub.connected(CLUSTER) ? true : undefined));
    expect(bed.registrations.length).to.equal(2);
    expect((await viaUpstream(t, '/version')).status).to.equal(200);
  });

  it('refuses a wrong registration token with 401, before any WebSocket exists', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${bed.url}/v1/connect`, AGENT_TUNNEL_PROTOCOLS.messages, {
        headers: { authorization: `Bearer ${formatAgentToken(CLUSTER, 'b'.repeat(43))}` },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('the tunnel was accepted')));
      ws.on('error', () => undefined);
    });
    expect(status).to.equal(401);
    expect(bed.registrations).to.have.length(0);
    expect(bed.hub.health(CLUSTER).sessions).to.equal(0);
  });

  it('keeps an agent with a rotated-away token out, and takes it back once it has the new one', async () => {
    bed.setSecret('c'.repeat(43));
    const old = bed.startAgent();
    await waitFor('a refusal in the log', () =>
      bed.logs.some((l) => /refused the registration token/.test(l.msg ?? '')) ? true : undefined,
    );
    expect(bed.hub.connected(CLUSTER)).to.equal(false);
    await old.stop();
    bed.startAgent({ token: formatAgentToken(CLUSTER, 'c'.repeat(43)) });
    await connected();
  });

  it('carries requests for an agent that uses message framing (paddock-tunnel.v1)', async () => {
    const agent = bed.startAgent({ framing: 'messages' });
    await connected();
    const t = transportTo();
    expect(await viaUpstream(t, '/version')).to.deep.include({ status: 200 });
    expect(agent.connects()).to.equal(1);
  });

  it('ends a v2 tunnel whose first frame is not one endless binary message, before any session', async () => {
    const authorization = `Bearer ${formatAgentToken(CLUSTER, SECRET)}`;
    const { status, socket } = await upgradeV2(bed.url, {
      authorization,
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
    expect(status).to.equal(101);
    const header = streamFrameHeader(true);
    header.writeUInt32BE(0xdeadbeef, 10); // a real masking key: the payload would need unmasking
    socket?.on('data', () => undefined);
    socket?.on('error', () => undefined);
    const closed = new Promise((resolve) => socket?.once('close', resolve));
    socket?.write(header);
    await closed;
    await waitFor('the refusal in the log', () =>
      bed.logs.some((l) => /did not start/.test(l.msg ?? '')) ? true : undefined,
    );
    expect(bed.registrations).to.have.length(0);
    expect(bed.hub.health(CLUSTER).sessions).to.equal(0);
  });

  it('refuses a v2 upgrade without a WebSocket key with 400', async () => {
    const { status } = await upgradeV2(bed.url, {
      authorization: `Bearer ${formatAgentToken(CLUSTER, SECRET)}`,
    });
    expect(status).to.equal(400);
  });

  it('tells an agent why its registration was refused, in the GOAWAY that ends the session', async () => {
    await bed.close();
    bed = await startTunnelBed(api.url, api.caPem, {
      registrar: {
        verifyAgent: async (_id, presented) => (presented === SECRET ? 'digest' : undefined),
        registerAgent: async () => {
          throw new Error('the cluster is being removed');
        },
      },
    });
    bed.startAgent();
    await waitFor('the reason in the agent log', () =>
      bed.logs.find(
        (l) =>
          /Paddock is closing the tunnel/.test(l.msg ?? '') &&
          /registration refused: the cluster is being removed/.test(
            String((l.obj as { reason?: unknown }).reason),
          ),
      ),
    );
    expect(bed.hub.connected(CLUSTER)).to.equal(false);
  });

  it('refuses an upgrade without the tunnel subprotocol', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${bed.url}/v1/connect`, 'something-else', {
        headers: { authorization: `Bearer ${formatAgentToken(CLUSTER, SECRET)}` },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(status).to.equal(400);
  });
});
