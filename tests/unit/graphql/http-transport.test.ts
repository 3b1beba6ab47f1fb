import { expect } from 'chai';
import { fetchText } from '../../support/http-client.js';
import { createFakePorts } from './support/fake-ports.js';
import { type GraphQLHarness, startGraphQLHarness } from './support/graphql-harness.js';

describe('GraphQL over HTTP: authentication, errors and limits', () => {
  let h: GraphQLHarness;
  before(async () => {
    const ports = createFakePorts();
    h = await startGraphQLHarness({
      ports: {
        ...ports,
        settings: {
          list: async () => {
            throw new Error('settings store says password=hunter2');
          },
          get: ports.settings.get,
        },
      },
      maxBodyBytes: 4096,
      limits: { maxDepth: 3, maxAliases: 3, maxCost: 2000, maxTokens: 400 },
    });
  });
  after(async () => {
    await h.stop();
  });

  describe('authentication', () => {
    it('answers a request with a bad token with 401 and UNAUTHENTICATED, never as anonymous', async () => {
      const res = await h.post('{ __typename }', { token: 'forged' });
      expect(res.status).to.equal(401);
      expect(res.json.errors?.[0]?.extensions).to.include({
        code: 'UNAUTHENTICATED',
        reason: 'token_invalid',
      });
      expect(res.json.errors?.[0]?.extensions?.requestId).to.equal(res.headers['x-request-id']);
    });

    it('masks an authenticator failure and logs it with the request id', async () => {
      const res = await h.post('{ __typename }', { token: 'explode' });
      expect(res.status).to.equal(500);
      expect(res.body).not.to.include('hunter2');
      const requestId = String(res.headers['x-request-id']);
      expect(res.json.errors?.[0]?.message).to.equal(
        `internal error; quote request id ${requestId} when reporting it`,
      );
      const logged = h.logs.find((l) => l.level === 'error' && l.obj.reqId === requestId);
      expect(JSON.stringify(logged?.obj)).to.include('hunter2');
    });

    it('reads the session from the paddock_session cookie', async () => {
      const res = await h.post('{ me { id } }', {
        headers: { cookie: 'a=b; paddock_session=t-admin' },
      });
      expect(res.json.data?.me).to.deep.equal({ id: 'u-admin' });
    });
  });

  describe('error masking', () => {
    it('masks an internal resolver error, keeps the other fields and logs the cause', async () => {
      const res = await h.post('{ settings { name } me { id } }', { token: 't-admin' });
      expect(res.status).to.equal(200);
      expect(res.body).not.to.include('hunter2');
      const requestId = String(res.headers['x-request-id']);
      expect(res.json.errors?.[0]).to.deep.include({
        message: `internal error; quote request id ${requestId} when reporting it`,
        path: ['settings'],
      });
      expect(res.json.data).to.equal(null);
      const logged = h.logs.find(
        (l) => l.msg === 'GraphQL internal error' && l.obj.reqId === requestId,
      );
      expect(JSON.stringify(logged?.obj)).to.include('hunter2');
    });
  });

  describe('request limits', () => {
    it('refuses a body over the size limit with 413', async () => {
      const res = await h.post(`{ __typename } # ${'x'.repeat(5000)}`);
      expect(res.status).to.equal(413);
      expect(JSON.parse(res.body).error.code).to.equal('PAYLOAD_TOO_LARGE');
    });

    it('answers request errors with 200 to a client that accepts only application/json', async () => {
      const res = await h.post('{ clusters(first: 500) { items { id name description } } }', {
        token: 't-admin',
        headers: { accept: 'application/json' },
      });
      expect(res.status).to.equal(200);
      expect(res.json.errors?.[0]?.extensions).to.include({ reason: 'query_too_costly' });
    });

    it('answers malformed JSON with 400', async () => {
      const res = await fetchText(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": ',
      });
      expect(res.status).to.equal(400);
      expect(JSON.parse(res.body).errors[0].extensions.code).to.equal('BAD_REQUEST');
    });

    it('refuses an operation deeper than the depth limit', async () => {
      const res = await h.post(
        '{ me { groups { name } } clusters { items { health { state } } } }',
        {
          token: 't-admin',
        },
      );
      expect(res.json.errors?.[0]?.extensions).to.include({
        code: 'GRAPHQL_VALIDATION_FAILED',
        reason: 'query_too_deep',
      });
    });

    it('refuses a document with too many aliases', async () => {
      const res = await h.post('{ a: me { id } b: me { id } c: me { id } d: me { id } }', {
        token: 't-admin',
      });
      expect(res.json.errors?.[0]?.extensions).to.include({ reason: 'too_many_aliases' });
    });

    it('refuses an operation over the cost limit before any resolver runs', async () => {
      const res = await h.post('{ clusters(first: 500) { items { id name description } } }', {
        token: 't-admin',
        headers: { accept: 'application/graphql-response+json' },
      });
      expect(res.status).to.equal(400);
      expect(res.json.errors?.[0]?.extensions).to.include({
        reason: 'query_too_costly',
        maxCost: 2000,
      });
      expect(res.json.data).to.equal(undefined);
    });

    it('refuses a document with more tokens than the parser limit', async () => {
      const res = await h.post(`{ ${'a '.repeat(500)} }`);
      expect(res.json.errors?.[0]?.extensions).to.include({ code: 'GRAPHQL_PARSE_FAILED' });
      expect(res.json.errors?.[0]?.message).to.match(/more tha[nt] 400 tokens/);
    });
  });

  describe('CSRF prevention', () => {
    it('refuses a GET query without a preflight header', async () => {
      const res = await fetchText(`${h.url}?query=${encodeURIComponent('{ __typename }')}`);
      expect(res.status).to.equal(400);
      expect(res.body).to.include('CSRF');
    });

    it('runs a GET query that carries a preflight header', async () => {
      const res = await fetchText(`${h.url}?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(res.status).to.equal(200);
      expect(JSON.parse(res.body)).to.deep.equal({ data: { __typename: 'Query' } });
    });

    it('refuses a POST a cross-site form could send', async () => {
      const res = await fetchText(h.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', cookie: 'paddock_session=t-admin' },
        body: JSON.stringify({ query: 'mutation { createApiKey(input: {}) { token } }' }),
      });
      expect(res.status).to.equal(400);
      expect(h.ports.keys.size).to.equal(0);
    });

    it('refuses a mutation over GET even with a preflight header', async () => {
      const res = await fetchText(
        `${h.url}?query=${encodeURIComponent('mutation { revokeApiKey(keyId: "x") }')}`,
        { headers: { 'apollo-require-preflight': 'true', authorization: 'Bearer t-admin' } },
      );
      expect(res.status).to.equal(405);
    });
  });
});

describe('GraphQL introspection', () => {
  it('is refused in production', async () => {
    const h = await startGraphQLHarness({ production: true });
    try {
      const res = await h.post('{ __schema { queryType { name } } }', { token: 't-admin' });
      expect(res.json.errors?.[0]?.message).to.match(/introspection/i);
    } finally {
      await h.stop();
    }
  });

  it('is answered in production when enabled by configuration', async () => {
    const h = await startGraphQLHarness({ production: true, introspection: true });
    try {
      const res = await h.post('{ __schema { queryType { name } } }', { token: 't-admin' });
      expect(res.json.data).to.deep.equal({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await h.stop();
    }
  });
});
