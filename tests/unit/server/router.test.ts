import { expect } from 'chai';
import { Router } from '../../../src/server/router.js';

const noop = () => {};

describe('Router', () => {
  const router = new Router([
    { name: 'graphql', path: '/graphql', handle: noop },
    { name: 'k8s', path: '/k8s/clusters', prefix: true, handle: noop },
    { name: 'auth', path: '/v1/auth', prefix: true, handle: noop },
  ]);

  it('matches an exact path and ignores the query string', () => {
    expect(router.match('/graphql?query=x')?.name).to.equal('graphql');
  });

  it('matches a prefix route only at a path-segment boundary', () => {
    expect(router.match('/k8s/clusters/c-1/api/v1/pods')?.name).to.equal('k8s');
    expect(router.match('/k8s/clustersX/c-1')).to.equal(undefined);
  });

  it('does not match a path that only resembles a route', () => {
    expect(router.match('/graphql/extra')).to.equal(undefined);
    expect(router.match('/GRAPHQL')).to.equal(undefined);
  });

  it('refuses two routes with the same exact path', () => {
    expect(
      () =>
        new Router([
          { name: 'a', path: '/x', handle: noop },
          { name: 'b', path: '/x', handle: noop },
        ]),
    ).to.throw('duplicate route /x');
  });

  it('sends what no other route matches to a prefix route at /, and nothing else', () => {
    const withConsole = new Router([
      { name: 'graphql', path: '/graphql', handle: noop },
      { name: 'auth', path: '/v1/auth', prefix: true, handle: noop },
      { name: 'console', path: '/', prefix: true, handle: noop },
    ]);
    expect(withConsole.match('/clusters/c-1?tab=nodes')?.name).to.equal('console');
    expect(withConsole.match('/')?.name).to.equal('console');
    expect(withConsole.match('/graphql')?.name).to.equal('graphql');
    expect(withConsole.match('/v1/auth/github/start')?.name).to.equal('auth');
  });
});
