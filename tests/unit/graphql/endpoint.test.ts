import { expect } from 'chai';
import { type GraphQLHarness, startGraphQLHarness } from './support/graphql-harness.js';

describe('GraphQL endpoint over HTTP', () => {
  let h: GraphQLHarness;
  before(async () => {
    h = await startGraphQLHarness();
  });
  after(async () => {
    await h.stop();
  });

  it('answers __typename to an anonymous caller', async () => {
    const res = await h.post('{ __typename }');
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.equal({ data: { __typename: 'Query' } });
  });

  it('answers me for a bearer token', async () => {
    const res = await h.post('{ me { id username provider groups { name kind } } }', {
      token: 't-member',
    });
    expect(res.json.errors).to.equal(undefined);
    expect(res.json.data).to.deep.equal({
      me: {
        id: 'u-member',
        username: 'member',
        provider: 'OPENLDAP',
        groups: [{ name: 'devs', kind: 'GROUP' }],
      },
    });
  });
});
