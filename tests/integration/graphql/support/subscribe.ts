/** A graphql-ws subscription over TLS to the test server, collecting what it delivers. */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Row } from './graphql-with-kubesim.js';

export interface Subscribed {
  readonly events: Row[];
  readonly errors: { message: string; extensions?: Record<string, unknown> }[];
  completed(): boolean;
  /** Waits until `count` events arrived (or an error or completion), with a deadline. */
  waitFor(done: (events: Row[]) => boolean, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export function subscribe(
  url: string,
  caPem: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Subscribed {
  class TlsWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { ca: caPem });
    }
  }
  const client = createClient({
    url: `${url.replace(/^https/, 'wss')}/graphql`,
    webSocketImpl: TlsWebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const events: Row[] = [];
  const errors: Subscribed['errors'] = [];
  let complete = false;
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...(value.errors as Subscribed['errors']));
        if (value.data) events.push(value.data as Row);
      },
      error: (err) => {
        errors.push(
          ...(Array.isArray(err)
            ? err
            : [{ message: err instanceof Error ? err.message : String(err) }]),
        );
      },
      complete: () => {
        complete = true;
      },
    },
  );
  return {
    events,
    errors,
    completed: () => complete,
    async waitFor(done, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!done(events)) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (complete)
          throw new Error(`subscription completed early after ${JSON.stringify(events)}`);
        if (Date.now() > deadline)
          throw new Error(`timed out; events so far: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      dispose();
      await client.dispose();
    },
  };
}
