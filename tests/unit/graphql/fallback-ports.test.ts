import { expect } from 'chai';
import { principalSearchAcross, staticSettings } from '../../../src/server/graphql/index.js';
import type { PortFit } from './support/port-fit.js';

describe('fallback GraphQL ports', () => {
  it('is built so identity and datasources adapters fit the GraphQL ports (checked by tsc)', () => {
    const fit: PortFit | undefined = undefined;
    expect(fit).to.equal(undefined);
  });

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
