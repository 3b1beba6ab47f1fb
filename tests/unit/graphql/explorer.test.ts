import { expect } from 'chai';
import { fetchText } from '../../support/http-client.js';
import { type GraphQLHarness, startGraphQLHarness } from './support/graphql-harness.js';

describe('GraphiQL explorer', () => {
  let h: GraphQLHarness;
  before(async () => {
    h = await startGraphQLHarness();
  });
  after(async () => {
    await h.stop();
  });

  const browserGet = (url: string) => fetchText(url, { headers: { accept: 'text/html,*/*' } });

  it('serves a page to a browser that loads only same-origin scripts', async () => {
    const res = await browserGet(h.url);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).to.include("script-src 'self'");
    const sources = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).to.have.length.greaterThan(3);
    for (const source of sources) expect(source).to.match(/^\/graphql\/explorer\//);
  });

  it('serves every asset the page names from the installed packages', async () => {
    const page = await browserGet(h.url);
    for (const [, source] of page.body.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const res = await fetchText(`${h.base}${source}`);
      expect(res.status, source).to.equal(200);
      expect(res.body.length, source).to.be.greaterThan(10);
    }
    const graphiql = await fetchText(`${h.base}/graphql/explorer/graphiql.min.js`);
    expect(graphiql.body).to.include('GraphiQL');
    expect(graphiql.headers.etag).to.be.a('string');
  });

  it('answers an unknown asset with 404', async () => {
    const res = await fetchText(`${h.base}/graphql/explorer/../../etc/passwd`);
    expect(res.status).to.equal(404);
  });

  it('runs a GET query rather than serving the page when a query is given', async () => {
    const res = await fetchText(`${h.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'text/html,application/json', 'apollo-require-preflight': '1' },
    });
    expect(res.body).to.equal('{"data":{"__typename":"Query"}}\n');
  });

  it('is not served when disabled', async () => {
    const off = await startGraphQLHarness({ explorer: false });
    try {
      const res = await browserGet(off.url);
      expect(res.headers['content-type']).not.to.include('text/html');
      expect((await fetchText(`${off.base}/graphql/explorer/start.js`)).status).to.equal(404);
    } finally {
      await off.stop();
    }
  });
});
