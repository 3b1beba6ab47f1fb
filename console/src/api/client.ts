/**
 * The console's one GraphQL client: queries and mutations over HTTP POST (JSON, so Paddock's
 * CSRF prevention lets them through, and the HttpOnly session cookie authenticates them),
 * subscriptions over one graphql-ws WebSocket to the same `/graphql`.
 */
import { createClient as createWsClient } from 'graphql-ws/client';
import {
  Client,
  cacheExchange,
  fetchExchange,
  mapExchange,
  type Operation,
  subscriptionExchange,
} from 'urql';
import { isUnauthenticated } from './errors.js';

export function graphqlUrl(): string {
  return '/graphql';
}

function webSocketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/graphql`;
}

export interface ConsoleClient {
  readonly client: Client;
  /** Closes the WebSocket (logout: the next sign-in opens a fresh one). */
  close(): void;
}

export function createConsoleClient(): ConsoleClient {
  const ws = createWsClient({
    url: webSocketUrl(),
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: 5,
  });
  const client = new Client({
    url: graphqlUrl(),
    requestPolicy: 'cache-and-network',
    fetchOptions: { credentials: 'same-origin', headers: { 'graphql-require-preflight': '1' } },
    exchanges: [
      // A session that ended (expired, signed out elsewhere, revoked) sends the browser to the
      // login page, which brings it back here afterwards. `Me` decides the first page itself.
      mapExchange({
        onError(error, operation) {
          if (!isUnauthenticated(error) || operationName(operation) === 'Me') return;
          if (window.location.pathname === '/login') return;
          const next = encodeURIComponent(window.location.pathname + window.location.search);
          window.location.assign(`/login?next=${next}`);
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, close: () => void ws.dispose() };
}

function operationName(operation: Operation): string | undefined {
  for (const definition of operation.query.definitions) {
    if (definition.kind === 'OperationDefinition') return definition.name?.value;
  }
  return undefined;
}
