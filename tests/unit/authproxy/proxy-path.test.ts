import { expect } from 'chai';
import { parseProxyTarget } from '../../../src/authproxy/proxy-path.js';

describe('parseProxyTarget', () => {
  it('splits the cluster id, the path below it and the query', () => {
    expect(
      parseProxyTarget('/k8s/clusters/c1/api/v1/namespaces/default/pods?watch=1'),
    ).to.deep.equal({
      clusterId: 'c1',
      path: '/api/v1/namespaces/default/pods',
      query: 'watch=1',
    });
  });

  it('maps a bare cluster URL to the API root', () => {
    expect(parseProxyTarget('/k8s/clusters/c1')).to.deep.include({ clusterId: 'c1', path: '/' });
    expect(parseProxyTarget('/k8s/clusters/c1/')).to.deep.include({ path: '/' });
  });

  it('keeps an encoded colon or space as received', () => {
    expect(parseProxyTarget('/k8s/clusters/c1/api/v1/namespaces/a/pods/p%3A1').path).to.equal(
      '/api/v1/namespaces/a/pods/p%3A1',
    );
  });

  const rejected = [
    '/k8s/clusters/c1/../c2/api',
    '/k8s/clusters/c1/api/..',
    '/k8s/clusters/c1/api/./v1',
    '/k8s/clusters/c1/%2e%2e/c2/api',
    '/k8s/clusters/c1/%2E%2E/c2/api',
    '/k8s/clusters/c1/%2e%2E/c2',
    '/k8s/clusters/c1/.%2e/c2',
    '/k8s/clusters/c1/%2e/api',
    '/k8s/clusters/c1/api%2fv1',
    '/k8s/clusters/c1/api%2Fv1',
    '/k8s/clusters/c1/..%2fc2',
    '/k8s/clusters/c1/api%5cv1',
    '/k8s/clusters/c1/api%5Cv1',
    '/k8s/clusters/c1/api\\..\\c2',
    '/k8s/clusters/c1//api',
    '/k8s/clusters/c1/api//v1',
    '/k8s/clusters/c1/%252e%252e/c2',
    '/k8s/clusters/c1/api/%00',
    '/k8s/clusters/c1/api/%zz',
  ];
  for (const url of rejected) {
    it(`refuses ${url}`, () => {
      expect(() => parseProxyTarget(url))
        .to.throw()
        .with.property('code', 'BAD_REQUEST');
    });
  }

  it('answers not found for a malformed cluster id rather than guessing', () => {
    expect(() => parseProxyTarget('/k8s/clusters/C1/api'))
      .to.throw()
      .with.property('code', 'NOT_FOUND');
    expect(() => parseProxyTarget('/k8s/clusters/%63%31/api'))
      .to.throw()
      .with.property('code', 'NOT_FOUND');
  });
});
