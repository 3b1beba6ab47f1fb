/**
 * Agents dial Paddock through a real WebSocket-aware reverse proxy (Debian's nginx, configured
 * for upgrades on `/v1/connect` as the README tells operators): both framings must cross it,
 * the endless-message `paddock-tunnel.v2` as well as `paddock-tunnel.v1` (ADR 0022).
 */
import { expect } from 'chai';
import { callCluster } from '../../../src/datasources/cluster-request.js';
import {
  type ClusterTransport,
  createClusterTransport,
} from '../../../src/datasources/cluster-transport.js';
import type { TunnelFraming } from '../../../src/datasources/tunnel/tunnel-protocol.js';
import { type NginxBalancer, startNginxBalancer } from '../../support/nginx-balancer.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';
import {
  type FakeApiServer,
  json,
  startFakeApiServer,
} from '../../unit/datasources/support/fake-api-server.js';
import {
  CLUSTER,
  startTunnelBed,
  type TunnelBed,
} from '../../unit/datasources/tunnel/support/tunnel-bed.js';

describe('agent tunnels through nginx in front of Paddock', function () {
  this.timeout(30_000);
  let api: FakeApiServer;
  let bed: TunnelBed;
  let nginx: NginxBalancer;
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let transport: ClusterTransport | undefined;

  beforeEach(async () => {
    dir = await makeTempDir('agent-nginx');
    api = await startFakeApiServer();
    api.route('GET /version', (_req, res) => json(res, 200, { gitVersion: 'v1.32.0-nginx' }));
    bed = await startTunnelBed(api.url, api.caPem);
    nginx = await startNginxBalancer({
      dir: dir.path,
      upstreamPorts: [Number(new URL(bed.url).port)],
      websockets: true,
    });
  });

  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    await bed.close();
    await nginx.stop();
    await api.close();
    await dir.remove();
  });

  for (const framing of ['stream', 'messages'] as const satisfies readonly TunnelFraming[]) {
    it(`carries Paddock's calls with ${framing} framing, the agent dialling nginx`, async () => {
      bed.startAgent({ framing, server: nginx.url });
      await waitFor('the agent registered through nginx', () =>
        bed.hub.connected(CLUSTER) ? true : undefined,
      );
      transport = createClusterTransport(
        { endpoint: new URL(api.url), caPem: api.caPem, dangerouslySkipTlsVerify: false },
        { connectTimeoutMs: 3_000 },
        bed.hub.dialer(CLUSTER),
      );
      for (let i = 0; i < 20; i++) {
        const answer = await callCluster(
          { endpoint: new URL(api.url), dispatcher: transport.dispatcher },
          { path: '/version', token: 'mgr-token', timeoutMs: 5_000 },
        );
        expect(answer.json()).to.deep.equal({ gitVersion: 'v1.32.0-nginx' });
      }
      // A body larger than any one TLS record or HTTP/2 frame crosses intact.
      const big = 'k'.repeat(3 * 1024 * 1024);
      api.route('GET /big', (_req, res) => json(res, 200, { big }));
      const answer = await callCluster(
        { endpoint: new URL(api.url), dispatcher: transport.dispatcher },
        { path: '/big', token: 'mgr-token', timeoutMs: 10_000 },
      );
      expect((answer.json() as { big: string }).big).to.equal(big);
      expect(bed.registrations).to.have.length(1);
    });
  }
});
