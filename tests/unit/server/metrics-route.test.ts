import { expect } from 'chai';
import { createProxyMetrics } from '../../../src/authproxy/proxy-metrics.js';
import type { Identity } from '../../../src/domain/identity.js';
import { PaddockError } from '../../../src/errors/index.js';
import {
  createHttpMetrics,
  createLogger,
  createPaddockServer,
  filterClusterSeries,
  metricsRoute,
  type PaddockServer,
} from '../../../src/server/index.js';
import { fetchText } from '../../support/http-client.js';

const TOKEN = 'prometheus-0123456789abcdef0123456789abcdef';

function identity(userId: string): Identity {
  return {
    userId,
    username: userId,
    displayName: userId,
    provider: 'local',
    principalIds: [`local://${userId}`],
    groupPrincipalIds: [],
    tokenId: `t-${userId}`,
    tokenKind: 'session',
  };
}

describe('GET /metrics', () => {
  let server: PaddockServer;
  let base: string;

  before(async () => {
    const metrics = createHttpMetrics();
    const proxy = createProxyMetrics(metrics.registry);
    for (const cluster of ['east', 'west', 'north']) proxy.requestEnded(cluster, 'get', 200, 0.01);
    server = createPaddockServer({
      routes: [
        metricsRoute(metrics, {
          authenticator: {
            async authenticate(request) {
              const token = /^Bearer (\S+)$/.exec(String(request.headers.authorization))?.[1];
              if (token === undefined || !token.startsWith('u-')) {
                throw new PaddockError('UNAUTHENTICATED', 'authentication required', {
                  reason: 'missing_credentials',
                });
              }
              return identity(token);
            },
          },
          mayView: async (caller) => caller.userId !== 'u-nobody',
          visibleClusterIds: async (caller) =>
            caller.userId === 'u-admin' ? 'all' : new Set(['east']),
          scrapeToken: TOKEN,
        }),
      ],
      logger: createLogger({ level: 'silent' }),
      metrics,
    });
    base = `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
  });
  after(() => server.shutdown(100));

  const get = (token?: string) =>
    fetchText(
      `${base}/metrics`,
      token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
    );
  const clustersIn = (body: string) =>
    [...body.matchAll(/paddock_proxy_requests_total\{cluster="([^"]+)"/g)].map((m) => m[1]).sort();

  it('refuses an anonymous caller with 401 and one without view-metrics with 403', async () => {
    expect((await get()).status).to.equal(401);
    const denied = await get('u-nobody');
    expect(denied.status).to.equal(403);
    expect(JSON.parse(denied.body).error.message).to.contain('view-metrics');
  });

  it('shows everything to the scrape token and to a caller who sees every cluster', async () => {
    expect(clustersIn((await get(TOKEN)).body)).to.deep.equal(['east', 'north', 'west']);
    expect(clustersIn((await get('u-admin')).body)).to.deep.equal(['east', 'north', 'west']);
  });

  it('leaves out the series of clusters the caller may not see', async () => {
    const res = await get('u-member');
    expect(res.status).to.equal(200);
    expect(clustersIn(res.body)).to.deep.equal(['east']);
    expect(res.body).not.to.match(/cluster="(west|north)"/);
    expect(res.body).to.contain('paddock_process_cpu_seconds_total');
  });
});

describe('filterClusterSeries', () => {
  it('reads escaped label values so another label cannot pose as the cluster', () => {
    const text = [
      '# HELP x_total a counter',
      '# TYPE x_total counter',
      'x_total{path="a\\",cluster=\\"east",cluster="west"} 1',
      'x_total{cluster_id="east",verb="get"} 2',
      'x_total{verb="get"} 3',
      'x_total 4',
    ].join('\n');
    expect(filterClusterSeries(text, new Set(['east'])).split('\n')).to.deep.equal([
      '# HELP x_total a counter',
      '# TYPE x_total counter',
      'x_total{cluster_id="east",verb="get"} 2',
      'x_total{verb="get"} 3',
      'x_total 4',
    ]);
  });
});
