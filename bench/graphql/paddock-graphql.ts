/**
 * Paddock's real /graphql endpoint on its real server, with the real registry and KubeApi in
 * front of kubesim clusters, and a bare graphql-js `execute` server on the same schema as the
 * peer of the trivial-query bench. Authentication is a fixed in-memory token on both.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, type GraphQLSchema, parse, validate } from 'graphql';
import { OpenStreams } from '../../src/authproxy/index.js';
import { DatasourceClusterRegistry } from '../../src/datasources/index.js';
import { createKubeApi } from '../../src/datasources/kube-api/index.js';
import type { Identity } from '../../src/domain/identity.js';
import { AesGcmSecretBox } from '../../src/identity/index.js';
import type { GraphQLContext, GraphQLPorts } from '../../src/resolvers/context.js';
import { createLoaders } from '../../src/resolvers/loaders.js';
import {
  createGraphQLEndpoint,
  principalSearchAcross,
  staticSettings,
} from '../../src/server/graphql/index.js';
import { createHttpMetrics } from '../../src/server/http-metrics.js';
import { createPaddockServer } from '../../src/server/paddock-server.js';
import { MemoryStore } from '../../tests/support/memory-store.js';
import { quietLogger } from '../support/quiet-logger.js';
import type { SimCluster } from './kubesim-process.js';

export const BENCH_USER: Identity = {
  userId: 'u-bench',
  username: 'bench',
  displayName: 'Bench',
  provider: 'local',
  principalIds: ['local://u-bench'],
  groupPrincipalIds: [],
  tokenId: 'bench',
  tokenKind: 'api-key',
};
export const BENCH_TOKEN = 'bench-token';

export interface BenchPaddock {
  readonly url: string;
  readonly schema: GraphQLSchema;
  readonly ports: GraphQLPorts;
  stop(): Promise<void>;
}

export async function startPaddock(clusters: readonly SimCluster[]): Promise<BenchPaddock> {
  const store = new MemoryStore();
  const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 1));
  const registry = new DatasourceClusterRegistry({ store, secretBox, logger: quietLogger });
  for (const c of clusters) {
    // The admin token can impersonate, so it serves as both of Paddock's accounts here.
    await registry.importDirect({
      id: c.name,
      name: c.name,
      endpoint: c.url,
      caPem: c.caPem,
      impersonatorToken: c.adminToken,
      managerToken: c.adminToken,
    });
  }
  const ports: GraphQLPorts = {
    authenticator: {
      async authenticate(req) {
        if (req.headers.authorization !== `Bearer ${BENCH_TOKEN}`) throw new Error('bad token');
        return BENCH_USER;
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
    settings: staticSettings([]),
    kubeApi: createKubeApi({ connections: registry }),
  };
  const endpoint = await createGraphQLEndpoint({
    ports,
    logger: quietLogger,
    openStreams: new OpenStreams({ authenticator: ports.authenticator, logger: quietLogger }),
    production: true,
    explorer: false,
  });
  const server = createPaddockServer({
    routes: [...endpoint.routes],
    logger: quietLogger,
    metrics: createHttpMetrics(),
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    schema: endpoint.schema,
    ports,
    async stop() {
      await server.shutdown(100);
      await endpoint.stop();
      await registry.stop();
    },
  };
}

/** The peer: an HTTP server that runs graphql-js parse, validate and execute, nothing else. */
export async function startBareExecute(
  schema: GraphQLSchema,
  ports: GraphQLPorts,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
      const identity = await ports.authenticator.authenticate({ headers: req.headers });
      const document = parse(body.query);
      const errors = validate(schema, document);
      const contextValue: GraphQLContext = {
        identity,
        requestId: 'r',
        logger: quietLogger,
        loaders: createLoaders(ports, identity),
        ports,
        request: { secure: false },
        now: Date.now,
      };
      const result =
        errors.length > 0 ? { errors } : await execute({ schema, document, contextValue });
      const text = JSON.stringify(result);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
