import { expect } from 'chai';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type GraphQLHarness, startGraphQLHarness } from './support/graphql-harness.js';

const auditLines = (h: GraphQLHarness) =>
  h.logs
    .filter((l) => l.msg === 'graphql audit')
    .map((l) => l.obj.audit as Record<string, unknown>);

describe('audit of GraphQL mutations', () => {
  let h: GraphQLHarness;
  beforeEach(async () => {
    h = await startGraphQLHarness({ production: true });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('writes who changed what for a mutation over HTTP, without its variables', async () => {
    const res = await h.post(
      'mutation Make($d: String) { createApiKey(input: { description: $d }) { key { keyId } } }',
      { token: 't-member', variables: { d: 'secret-looking-description' } },
    );
    expect(res.json.errors).to.equal(undefined);
    const [line] = auditLines(h);
    expect(line).to.deep.include({
      kind: 'graphql-mutation',
      userId: 'u-member',
      operationName: 'Make',
      outcome: 'success',
    });
    expect(line?.fields).to.deep.equal(['createApiKey']);
    expect(JSON.stringify(h.logs)).to.not.include('secret-looking-description');
  });

  it('records a refused mutation as a failure with its error code', async () => {
    const res = await h.post(
      'mutation { updateSetting(name: "ui-banner", value: "hi") { name } }',
      {
        token: 't-nobody',
      },
    );
    expect(res.json.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    expect(auditLines(h)).to.deep.equal([
      {
        kind: 'graphql-mutation',
        userId: 'u-nobody',
        tokenKind: 'session',
        tokenId: 'tok-u-nobody',
        fields: ['updateSetting'],
        outcome: 'failure',
        errorCodes: ['FORBIDDEN'],
      },
    ]);
  });

  it('records a failed anonymous login attempt and never the password', async () => {
    await h.post(
      'mutation { login(input: { provider: "local", username: "member", password: "hunter2-pw" }) { userId } }',
    );
    const [line] = auditLines(h);
    expect(line).to.deep.include({ fields: ['login'], outcome: 'failure' });
    expect(line).to.not.have.property('userId');
    expect(JSON.stringify(h.logs)).to.not.include('hunter2-pw');
  });

  it('writes nothing for queries', async () => {
    await h.post('{ me { id } }', { token: 't-member' });
    expect(auditLines(h)).to.deep.equal([]);
  });

  it('audits a mutation sent over the WebSocket too', async () => {
    const client = createClient({
      url: h.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: 'Bearer t-member' },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: 'mutation { createApiKey(input: {}) { key { keyId } } }' },
          { next: () => undefined, error: reject, complete: resolve },
        );
      });
    } finally {
      await client.dispose();
    }
    expect(auditLines(h)).to.have.length(1);
    expect(auditLines(h)[0]).to.deep.include({ userId: 'u-member', outcome: 'success' });
  });
});
