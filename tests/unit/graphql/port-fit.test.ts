/**
 * The GraphQL ports are shaped so the adapters other modules already have plug in as they
 * are; this file stops compiling when one of them drifts.
 */
import { expect } from 'chai';
import type { DatasourceClusterRegistry } from '../../../src/datasources/index.js';
import type { PasswordProvider } from '../../../src/domain/password-provider.js';
import type {
  ApiKeyService,
  LoginService,
  TokenAuthenticator,
  UserRepository,
} from '../../../src/identity/index.js';
import type { GraphQLPorts } from '../../../src/resolvers/context.js';
import {
  type PrincipalSource,
  principalSearchAcross,
  staticSettings,
} from '../../../src/server/graphql/index.js';

type Fits<Port, Adapter extends Port> = Adapter;

export type PortFit = [
  Fits<GraphQLPorts['authenticator'], TokenAuthenticator>,
  Fits<GraphQLPorts['login'], LoginService>,
  Fits<GraphQLPorts['apiKeys'], ApiKeyService>,
  Fits<GraphQLPorts['users'], UserRepository>,
  Fits<GraphQLPorts['clusters'], DatasourceClusterRegistry>,
  Fits<PrincipalSource, PasswordProvider>,
];

describe('fallback GraphQL ports', () => {
  it('merges principal searches across providers and survives one that fails', async () => {
    const errors: unknown[] = [];
    const search = principalSearchAcross(
      () => [
        {
          searchPrincipals: async () => [
            { id: 'local://u-b', provider: 'local', kind: 'user', name: 'bob' },
            { id: 'local://u-a', provider: 'local', kind: 'user', name: 'alice' },
          ],
        },
        {
          searchPrincipals: async () => {
            throw new Error('ldap down');
          },
        },
        {
          searchPrincipals: async () => [
            { id: 'local://u-a', provider: 'local', kind: 'user', name: 'alice' },
          ],
        },
      ],
      (err) => errors.push(err),
    );
    const found = await search.search('a', { caller: {} as never, limit: 10 });
    expect(found.map((p) => p.name)).to.deep.equal(['alice', 'bob']);
    expect(errors).to.have.length(1);
  });

  it('serves fixed settings by name', async () => {
    const settings = staticSettings([
      {
        name: 'server-url',
        value: 'https://x',
        defaultValue: '',
        description: '',
        source: 'config',
        readOnly: true,
      },
    ]);
    expect((await settings.get('server-url'))?.value).to.equal('https://x');
    expect(await settings.get('nope')).to.equal(undefined);
  });
});
