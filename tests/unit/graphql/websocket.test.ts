import { expect } from 'chai';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createFakePorts } from './support/fake-ports.js';
import { type GraphQLHarness, startGraphQLHarness } from './support/graphql-harness.js';

interface WsOutcome {
  readonly data?: unknown;
  readonly errors?: { message: string; extensions?: Record<string, unknown> }[];
  readonly closeCode?: number;
}

function wsClient(
  url: string,
  options: { token?: string; headers?: Record<string, string> },
): {
  client: Client;
  closed: Promise<number>;
} {
  let onClose: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => {
    onClose = resolve;
  });
  const headers = options.headers ?? {};
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: HeaderWebSocket,
    retryAttempts: 0,
    ...(options.token ? { connectionParams: { authorization: `Bearer ${options.token}` } } : {}),
    on: { closed: (event) => onClose((event as { code: number }).code) },
  });
  return { client, closed };
}

async function run(
  url: string,
  query: string,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<WsOutcome> {
  const { client, closed } = wsClient(url, options);
  try {
    return await new Promise<WsOutcome>((resolve) => {
      let result: WsOutcome = {};
      client.subscribe(
        { query },
        {
          next: (value) => {
            result = value as WsOutcome;
          },
          error: (err) => {
            if (Array.isArray(err)) resolve({ errors: err });
            else void closed.then((closeCode) => resolve({ closeCode }));
          },
          complete: () => resolve(result),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('GraphQL over WebSocket', () => {
  let h: GraphQLHarness;
  before(async () => {
    const ports = createFakePorts();
    h = await startGraphQLHarness({
      production: true,
      limits: { maxDepth: 2 },
      allowedOrigins: ['https://portal.example'],
      ports: {
        ...ports,
        settings: {
          list: async () => {
            throw new Error('password=hunter2');
          },
          get: ports.settings.get,
        },
      },
    });
  });
  after(async () => {
    await h.stop();
  });

  it('runs a query for a connection authenticated by connection params', async () => {
    const out = await run(h.url, '{ me { id } }', { token: 't-member' });
    expect(out).to.deep.equal({ data: { me: { id: 'u-member' } } });
  });

  it('authenticates a connection by the handshake’s session cookie', async () => {
    const out = await run(h.url, '{ me { id } }', {
      headers: { cookie: 'paddock_session=t-admin' },
    });
    expect(out).to.deep.equal({ data: { me: { id: 'u-admin' } } });
  });

  it('refuses an anonymous connection with close code 4403', async () => {
    const out = await run(h.url, '{ __typename }');
    expect(out.closeCode).to.equal(4403);
  });

  it('refuses a connection with a bad token', async () => {
    const out = await run(h.url, '{ __typename }', { token: 'forged' });
    expect(out.closeCode).to.equal(4403);
  });

  it('applies the depth limit as over HTTP', async () => {
    const out = await run(h.url, '{ me { groups { name } } }', { token: 't-admin' });
    expect(out.errors?.[0]?.extensions).to.include({ reason: 'query_too_deep' });
  });

  it('applies the introspection switch as over HTTP', async () => {
    const out = await run(h.url, '{ __schema { queryType { name } } }', { token: 't-admin' });
    expect(out.errors?.[0]?.message).to.match(/introspection/i);
  });

  it('answers variables that do not coerce as a user error, not an internal one', async () => {
    const { client } = wsClient(h.url, { token: 't-admin' });
    try {
      const out = await new Promise<WsOutcome>((resolve) => {
        client.subscribe(
          { query: 'query($n: Int) { clusters(first: $n) { totalCount } }', variables: { n: 'x' } },
          {
            next: (v) => resolve(v as WsOutcome),
            error: (e) => resolve({ errors: e as never }),
            complete: () => undefined,
          },
        );
      });
      expect(out.errors?.[0]?.extensions).to.include({ code: 'BAD_USER_INPUT' });
    } finally {
      await client.dispose();
    }
  });

  it('refuses deeply nested variables and documents with a clear error, as over HTTP', async () => {
    let nested: unknown = 'x';
    // Deep enough to pass the 64-level limit, shallow enough for the client to serialise.
    for (let i = 0; i < 1_000; i++) nested = [nested];
    const { client } = wsClient(h.url, { token: 't-admin' });
    const ask = (query: string, variables?: Record<string, unknown>) =>
      new Promise<WsOutcome>((resolve) => {
        client.subscribe(
          { query, ...(variables ? { variables } : {}) },
          {
            next: (v) => resolve(v as WsOutcome),
            error: (e) => resolve({ errors: e as never }),
            complete: () => undefined,
          },
        );
      });
    try {
      const deepVariables = await ask('query($v: JSON) { me { id } }', { v: nested });
      expect(deepVariables.errors?.[0]?.extensions).to.include({
        code: 'BAD_REQUEST',
        reason: 'json_too_deep',
      });
      const deepDocument = await ask(`{ me(x: ${'['.repeat(5_000)}1${']'.repeat(5_000)}) { id } }`);
      expect(deepDocument.errors?.[0]?.extensions).to.include({ reason: 'document_too_deep' });
      // The socket stays usable for a well-formed operation.
      expect(await ask('{ me { id } }')).to.deep.equal({ data: { me: { id: 'u-admin' } } });
    } finally {
      await client.dispose();
    }
  });

  it('masks internal errors with the operation’s request id', async () => {
    const out = await run(h.url, '{ settings { name } }', { token: 't-admin' });
    expect(JSON.stringify(out)).not.to.include('hunter2');
    expect(out.errors?.[0]?.message).to.match(
      /^internal error; quote request id \S+:\S+ when reporting it$/,
    );
  });

  it('refuses a handshake from a foreign origin and accepts an allowed one', async () => {
    const foreign = await run(h.url, '{ me { id } }', {
      headers: { origin: 'https://evil.example', cookie: 'paddock_session=t-admin' },
    });
    expect(foreign.data).to.equal(undefined);
    const allowed = await run(h.url, '{ me { id } }', {
      headers: { origin: 'https://portal.example', cookie: 'paddock_session=t-admin' },
    });
    expect(allowed.data).to.deep.equal({ me: { id: 'u-admin' } });
  });
});
