/**
 * The console's one GraphQL client: queries and mutations over HTTP POST (JSON, so Paddock's
 * CSRF prevention lets them through, and the HttpOnly session cookie authenticates them),
 * subscriptions over one graphql-ws WebSocket to the same `/graphql`.
 */
import { createClient as createWsClient } from 'graphql-ws/client';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

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
