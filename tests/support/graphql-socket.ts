/**
 * One graphql-ws connection to a test server (plain or TLS), opened at once, recording how and
 * when the server closed it; for tests of what happens to a socket once its credential dies.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from './wait-for.js';

export interface GraphQLSocket {
  readonly client: Client;
  /** Set once the socket closed. */
  readonly closed: { code: number; reason: string; at: number } | undefined;
  /** Data of the running `clusterStatusChanges` subscription, in order. */
  readonly events: unknown[];
  /** One operation; a close while it runs answers `closeCode`. */
  query(
    query: string,
  ): Promise<{ data?: unknown; errors?: { message: string }[]; closeCode?: number }>;
  /** Starts a `clusterStatusChanges` subscription and waits for its first event. */
  subscribeToStatus(): Promise<void>;
  /** Waits until the socket closed, at most `ms`. */
  waitClosed(ms: number): Promise<{ code: number; reason: string; at: number }>;
  dispose(): Promise<void>;
}

/** Opens a graphql-ws socket to `<base>/graphql` authenticated by `token`. */
export function openGraphQLSocket(
  base: string,
  token: string,
  options: { caPem?: string } = {},
): GraphQLSocket {
  let closed: GraphQLSocket['closed'];
  const events: unknown[] = [];
  const { caPem } = options;
  class TestWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, caPem === undefined ? {} : { ca: caPem });
    }
  }
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: TestWebSocket,
    retryAttempts: 0,
    lazy: false,
    // The close is what these tests wait for, not something to print.
    onNonLazyError: () => undefined,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closed ??= { code, reason: String(reason), at: Date.now() };
      },
    },
  });
  return {
    client,
    get closed() {
      return closed;
    },
    events,
    query(query) {
      return new Promise((resolve) => {
        let result: { data?: unknown; errors?: { message: string }[] } = {};
        client.subscribe(
          { query },
          {
            next: (value) => {
              result = value as typeof result;
            },
            error: (err) => {
              if (Array.isArray(err)) resolve({ errors: err });
              else resolve({ closeCode: (err as { code?: number }).code ?? -1 });
            },
            complete: () => resolve(result),
          },
        );
      });
    },
    async subscribeToStatus() {
      client.subscribe(
        { query: 'subscription { clusterStatusChanges { clusterId state } }' },
        {
          next: (value) => events.push(value.data ?? value.errors),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      await waitFor('the first status event', () => (events.length > 0 ? true : undefined));
    },
    waitClosed: (ms) => waitFor('the socket to close', () => closed, { timeoutMs: ms }),
    dispose: () => client.dispose() as Promise<void>,
  };
}
