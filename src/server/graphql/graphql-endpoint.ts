/**
 * The GraphQL entry point on Paddock's listener: `POST/GET /graphql` through Apollo, the
 * graphql-ws WebSocket server on the same path, and the GraphiQL explorer for browsers.
 */
import type { GraphQLSchema } from 'graphql';
import { buildPaddockSchema } from '../../resolvers/build-schema.js';
import { isIntrospectionEnabled } from '../../resolvers/plugins/introspection.js';
import type { HttpRoute } from '../http-route.js';
import { createApolloServer } from './apollo-server.js';
import { createExplorer } from './explorer-routes.js';
import { DEFAULT_MAX_BODY_BYTES, type GraphQLEndpointOptions } from './graphql-options.js';
import { createGraphQLWsServer } from './graphql-ws-server.js';
import { httpGraphQLHandler } from './http-graphql-handler.js';
import { operationRules } from './operation-rules.js';

export interface GraphQLEndpoint {
  /** Mount these on `createPaddockServer({ routes })`. */
  readonly routes: readonly HttpRoute[];
  readonly schema: GraphQLSchema;
  /** Closes WebSocket connections and stops Apollo; call after the listener drained. */
  stop(): Promise<void>;
}

export async function createGraphQLEndpoint(
  options: GraphQLEndpointOptions,
): Promise<GraphQLEndpoint> {
  const path = options.path ?? '/graphql';
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const introspection = isIntrospectionEnabled({
    production: options.production,
    ...(options.introspection === undefined ? {} : { enabled: options.introspection }),
  });
  const schema = await buildPaddockSchema();
  const rules = operationRules(options.limits);
  const apollo = createApolloServer({ schema, rules, introspection, logger: options.logger });
  await apollo.start();
  const ws = createGraphQLWsServer({
    schema,
    rules,
    introspection,
    ports: options.ports,
    maxPayloadBytes: maxBodyBytes,
    allowedOrigins: options.allowedOrigins ?? [],
    openStreams: options.openStreams,
    now,
  });
  const explorer = options.explorer === false ? undefined : await createExplorer(path);
  const graphql = httpGraphQLHandler({
    apollo,
    ports: options.ports,
    maxBodyBytes,
    maxJsonDepth: rules.limits.maxJsonDepth,
    now,
  });
  const routes: HttpRoute[] = [
    {
      name: 'graphql',
      path,
      methods: ['GET', 'POST'],
      handle: (req, res, ctx) => {
        if (explorer?.wants(req)) {
          explorer.sendPage(res);
          return;
        }
        return graphql(req, res, ctx);
      },
      upgrade: ws.upgrade,
    },
    ...(explorer ? [explorer.assetRoute] : []),
  ];
  return {
    routes,
    schema,
    async stop() {
      await ws.close();
      await apollo.stop();
    },
  };
}
