/**
 * Paddock for the fleet bench, in its own process so that its RSS is its own: the real
 * registry importing every kubesim cluster, the shared informers, the fleet index, the
 * capacity refresh and the real GraphQL endpoint and server. Two fixed API tokens stand in
 * for authentication: the bench's admin (`u-admin`) and a user bound in half the namespaces
 * (`u-half`); the downstream RBAC the bench creates decides what each sees.
 *
 *   node dist/bench/fleet/paddock-child.js <kubesim.json>
 * prints one JSON line {url} when it listens. `GET /bench/status` reports the index,
 * `PUT /bench/index` with `true`/`false` turns the index on or off (the live comparison).
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { OpenStreams } from '../../src/authproxy/index.js';
import { CapacityRefresher, DatasourceClusterRegistry } from '../../src/datasources/index.js';
import { SharedInformers } from '../../src/datasources/informers/index.js';
import { createKubeApi } from '../../src/datasources/kube-api/index.js';
import { SETTING_FLEET_INDEX_ENABLED } from '../../src/domain/fleet-index.js';
import type { Identity } from '../../src/domain/identity.js';
import type { SettingView } from '../../src/domain/settings.js';
import { FleetIndexService } from '../../src/fleet-index/index.js';
import { AesGcmSecretBox } from '../../src/identity/index.js';
import type { GraphQLPorts } from '../../src/resolvers/context.js';
import { createGraphQLEndpoint, principalSearchAcross } from '../../src/server/graphql/index.js';
import { createHttpMetrics } from '../../src/server/http-metrics.js';
import { createPaddockServer } from '../../src/server/paddock-server.js';
import { MemoryStore } from '../../tests/support/memory-store.js';
import { quietLogger } from '../support/quiet-logger.js';

const identity = (userId: string): Identity => ({
  userId,
  username: userId,
  displayName: userId,
  provider: 'local',
  principalIds: [`local://${userId}`],
  groupPrincipalIds: [],
  tokenId: userId,
  tokenKind: 'api-key',
});
export const TOKENS: Record<string, Identity> = {
  'bench-admin-token': identity('u-admin'),
  'bench-half-token': identity('u-half'),
};

async function main(): Promise<void> {
  const state = JSON.parse(await readFile(process.argv[2] ?? '', 'utf8')) as {
    clusters: { name: string; url: string; caPem: string; adminToken: string }[];
  };
  const store = new MemoryStore();
  const registry = new DatasourceClusterRegistry({
    store,
    secretBox: new AesGcmSecretBox(Buffer.alloc(32, 1)),
    logger: quietLogger,
  });
  for (const c of state.clusters) {
    // The kubesim admin can impersonate, so it serves as both of Paddock's accounts here.
    await registry.importDirect({
      id: c.name,
      name: c.name,
      endpoint: c.url,
      caPem: c.caPem,
      impersonatorToken: c.adminToken,
      managerToken: c.adminToken,
    });
  }
  registry.start();
  const settings = new Map<string, string>();
  const settingsReader = {
    list: async () => [],
    get: async (name: string): Promise<SettingView | undefined> => {
      const value = settings.get(name);
      return value === undefined
        ? undefined
        : { name, value, defaultValue: '', description: '', source: 'store', readOnly: false };
    },
  };
  const informers = new SharedInformers({ clusters: registry, logger: quietLogger });
  const fleetIndex = new FleetIndexService({
    informers,
    clusters: registry,
    settings: settingsReader,
    logger: quietLogger,
  });
  const startedAt = Date.now();
  await fleetIndex.start();
  const capacity = new CapacityRefresher({ clusters: registry, logger: quietLogger });
  capacity.start();
  void capacity.refreshAll();

  const ports: GraphQLPorts = {
    authenticator: {
      async authenticate(req) {
        const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
        const found = TOKENS[token];
        if (found === undefined) throw new Error('bad token');
        return found;
      },
    },
    login: { login: () => Promise.reject(new Error('no')), logout: async () => false },
    apiKeys: {
      create: () => Promise.reject(new Error('no')),
      list: async () => [],
      revoke: async () => false,
    },
    users: { get: async () => undefined, list: async () => [] },
    principals: principalSearchAcross(() => []),
    clusters: registry,
    authorizer: { allows: async () => true, visibleClusterIds: async () => 'all' },
    settings: settingsReader,
    kubeApi: createKubeApi({ connections: registry }),
    capacity,
    fleetIndex,
    subscriptionLimits: { perUser: 20, idleMs: 600_000, lifetimeMs: 3_600_000 },
  };
  const endpoint = await createGraphQLEndpoint({
    ports,
    logger: quietLogger,
    openStreams: new OpenStreams({ authenticator: ports.authenticator, logger: quietLogger }),
    production: true,
    explorer: false,
  });
  const ids = state.clusters.map((c) => c.name);
  let fullAt: number | undefined;
  const server = createPaddockServer({
    routes: [
      ...endpoint.routes,
      {
        name: 'bench',
        path: '/bench',
        prefix: true,
        handle: async (req, res) => {
          if (req.url === '/bench/index' && req.method === 'PUT') {
            let body = '';
            for await (const chunk of req) body += String(chunk);
            settings.set(SETTING_FLEET_INDEX_ENABLED, body.trim() === 'false' ? 'false' : 'true');
            await fleetIndex.refresh();
            res.writeHead(204).end();
            return;
          }
          const synced = ids.filter((id) => fleetIndex.clusterStatus(id)?.synced).length;
          if (synced === ids.length) fullAt ??= Date.now();
          let capacityReady = 0;
          for (const id of ids) if ((await capacity.capacity(id)) !== undefined) capacityReady++;
          // `?gc=1` (the child runs with --expose-gc): the heap the index really holds.
          const gc = (globalThis as { gc?: () => void }).gc;
          if (req.url === '/bench/status?gc=1' && gc !== undefined) {
            gc();
            gc();
          }
          const mem = process.memoryUsage();
          const text = JSON.stringify({
            clusters: ids.length,
            synced,
            fullIndexMs: fullAt === undefined ? null : fullAt - startedAt,
            capacityReady,
            rssBytes: mem.rss,
            heapUsedBytes: mem.heapUsed,
            objects: fleetIndex.sizes(),
          });
          res.writeHead(200, { 'content-type': 'application/json' }).end(text);
        },
      },
    ],
    logger: quietLogger,
    metrics: createHttpMetrics(),
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
  const stop = async () => {
    await server.shutdown(100);
    await endpoint.stop();
    await fleetIndex.stop();
    await informers.stop();
    capacity.stop();
    await registry.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`paddock-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
