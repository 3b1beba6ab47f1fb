import { request as httpsRequest } from 'node:https';
import { expect } from 'chai';
import {
  type ClusterTransport,
  createClusterTransport,
} from '../../../../src/datasources/cluster-transport.js';
import { waitFor } from '../../../support/wait-for.js';
import { type FakeApiServer, json, startFakeApiServer } from '../support/fake-api-server.js';
import { CLUSTER, startTunnelBed, type TunnelBed } from './support/tunnel-bed.js';

/** A GET through the tunnel; resolves with the status, or the error's code. */
function get(transport: ClusterTransport, url: string, path: string): Promise<number | string> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const req = httpsRequest(
      { host: target.hostname, port: target.port, path, agent: transport.agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
    req.end();
  });
}

describe('agent tunnels when Paddock stops', function () {
  this.timeout(20_000);
  let api: FakeApiServer;
  let bed: TunnelBed;
  let transport: ClusterTransport | undefined;

  beforeEach(async () => {
    api = await startFakeApiServer();
    bed = await startTunnelBed(api.url, api.caPem);
  });

  afterEach(async () => {
    await transport?.close();
    await bed.close();
    await api.close();
  });

  it('lets a call under way finish, then ends the session so its agent reconnects elsewhere', async () => {
    bed.startAgent();
    await waitFor('the agent connected', () => (bed.hub.connected(CLUSTER) ? true : undefined));
    let release: (() => void) | undefined;
    api.route('GET /slow', (_req, res) => {
      release = () => json(res, 200, {});
    });
    transport = createClusterTransport(
      { endpoint: new URL(api.url), caPem: api.caPem, dangerouslySkipTlsVerify: false },
      { connectTimeoutMs: 3_000 },
      bed.hub.dialer(CLUSTER),
    );
    const call = get(transport, api.url, '/slow');
    await waitFor('the call at the API server', () => release);

    bed.hub.drain('test: stopping', 20);
    // Busy: the session stays while its call runs.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bed.registrations).to.have.length(1);
    expect(bed.hub.health(CLUSTER).sessions).to.equal(1);

    release?.();
    expect(await call).to.equal(200);
    // Idle: closed, and the agent (which would reach another replica) comes back and is
    // closed again while this hub drains.
    await waitFor('the drained session closed and the agent reconnecting', () =>
      bed.registrations.length >= 2 ? true : undefined,
    );
  });
});
