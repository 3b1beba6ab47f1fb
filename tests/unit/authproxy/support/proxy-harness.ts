import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import {
  createK8sProxy,
  type K8sProxy,
  type K8sProxyOptions,
} from '../../../../src/authproxy/index.js';
import { CircuitBreaker } from '../../../../src/datasources/circuit-breaker.js';
import {
  type ClusterTransport,
  createClusterTransport,
} from '../../../../src/datasources/cluster-transport.js';
import type { ProxyAuditEvent } from '../../../../src/domain/audit.js';
import type { ClusterConnection, ClusterRegistry } from '../../../../src/domain/cluster.js';
import { createHttpMetrics } from '../../../../src/server/http-metrics.js';
import { createPaddockServer, type PaddockServer } from '../../../../src/server/paddock-server.js';
import {
  type FakeApiServer,
  startFakeApiServer,
} from '../../datasources/support/fake-api-server.js';
import { createTestLogger, type LogLine } from '../../datasources/support/test-logger.js';
import { identity, MapAuthenticator } from './map-authenticator.js';

export const IMPERSONATOR_TOKEN = 'impersonator-secret';

export interface ProxyHarness {
  readonly port: number;
  readonly api: FakeApiServer;
  readonly auth: MapAuthenticator;
  readonly proxy: K8sProxy;
  readonly audit: ProxyAuditEvent[];
  readonly logs: LogLine[];
  readonly metrics: Registry;
  readonly connections: Map<string, ClusterConnection>;
  /** Adds a cluster whose endpoint is the fake API server under `/clusters/<id>`. */
  addCluster(id: string, endpoint?: string): void;
  stop(): Promise<void>;
}

/**
 * Paddock's real server with only the proxy route, in front of a fake HTTPS API server. Two
 * clusters, `c1` and `c2`, share the fake under different path prefixes. Tokens: `alice`
 * (user u-alice), `scoped` (u-bob, key limited to c1).
 */
export async function startProxyHarness(
  overrides: Partial<K8sProxyOptions> = {},
): Promise<ProxyHarness> {
  const api = await startFakeApiServer();
  const auth = new MapAuthenticator();
  auth.tokens.set('alice', identity('u-alice'));
  auth.tokens.set(
    'scoped',
    identity('u-bob', { scope: { clusterId: 'c1' }, tokenId: 'tok-scoped' }),
  );
  const audit: ProxyAuditEvent[] = [];
  const logger = createTestLogger();
  const metrics = new Registry();
  const connections = new Map<string, ClusterConnection>();
  const transports: ClusterTransport[] = [];
  const clusters: ClusterRegistry = { connection: async (id) => connections.get(id) };

  const addCluster = (id: string, endpoint = `${api.url}/clusters/${id}`) => {
    const url = new URL(endpoint);
    const transport = createClusterTransport({
      endpoint: url,
      caPem: api.caPem,
      dangerouslySkipTlsVerify: false,
    });
    transports.push(transport);
    const breaker = new CircuitBreaker();
    connections.set(id, {
      clusterId: id,
      endpoint: url,
      agent: transport.agent,
      dispatcher: transport.dispatcher,
      upstream: transport.upstream,
      impersonatorToken: IMPERSONATOR_TOKEN,
      health: { state: 'active' },
      gate: breaker,
    });
  };
  addCluster('c1');
  addCluster('c2');

  const proxy = createK8sProxy({
    authenticator: auth,
    credentialEvents: auth,
    clusters,
    logger,
    metricsRegistry: metrics,
    auditSink: { write: (e) => audit.push(e) },
    ...overrides,
  });
  const server: PaddockServer = createPaddockServer({
    routes: [proxy.route],
    logger,
    metrics: createHttpMetrics(),
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  return {
    port: address.port,
    api,
    auth,
    proxy,
    audit,
    logs: logger.lines,
    metrics,
    connections,
    addCluster,
    async stop() {
      proxy.close();
      await server.shutdown(100);
      await Promise.all(transports.map((t) => t.close()));
      await api.close();
    },
  };
}
