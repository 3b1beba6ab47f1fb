/** A graphql-ws subscription over plain HTTP (ws://), collecting what it delivers. */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface HttpSubscription {
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  readonly events: any[];
  readonly errors: unknown[];
  stop(): Promise<void>;
}

export function subscribeHttp(url: string, token: string, query: string): HttpSubscription {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const events: unknown[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe(
    { query },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) events.push(value.data);
      },
      error: (err) => errors.push(err),
      complete: () => undefined,
    },
  );
  return {
    events,
    errors,
    async stop() {
      dispose();
      await client.dispose();
    },
  };
}
