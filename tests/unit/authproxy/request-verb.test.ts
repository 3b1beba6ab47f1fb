import { expect } from 'chai';
import { requestKindOf } from '../../../src/authproxy/request-verb.js';

describe('requestKindOf', () => {
  const cases: [string, string, string, string, boolean, boolean][] = [
    ['GET', '/api/v1/pods', '', 'list', false, false],
    ['GET', '/api/v1/namespaces/default/pods', '', 'list', false, false],
    ['GET', '/api/v1/namespaces/default/pods/p1', '', 'get', false, false],
    ['GET', '/api/v1/namespaces/default', '', 'get', false, false],
    ['GET', '/api/v1/namespaces', '', 'list', false, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=true', 'watch', true, false],
    ['GET', '/apis/apps/v1/watch/namespaces/default/deployments', '', 'watch', true, false],
    ['GET', '/api/v1/namespaces/default/pods/p1/log', 'follow=true', 'get', true, false],
    ['POST', '/api/v1/namespaces/default/pods', '', 'create', false, true],
    ['PUT', '/api/v1/namespaces/default/pods/p1', '', 'update', false, true],
    ['PATCH', '/apis/apps/v1/namespaces/d/deployments/x', '', 'patch', false, true],
    ['DELETE', '/api/v1/namespaces/default/pods/p1', '', 'delete', false, true],
    ['DELETE', '/api/v1/namespaces/default/pods', '', 'deletecollection', false, true],
    ['GET', '/version', '', 'get', false, false],
    // What the Python client and other clients send: kube-apiserver watches on all of these.
    ['GET', '/api/v1/namespaces/default/pods', 'watch=True', 'watch', true, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=t', 'watch', true, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=yes', 'watch', true, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=', 'watch', true, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch', 'watch', true, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=FALSE', 'list', false, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=0', 'list', false, false],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=false&watch=true', 'list', false, false],
    ['GET', '/api/v1/namespaces/default/pods/p1/log', 'follow=True', 'get', true, false],
    ['GET', '/api/v1/namespaces/default/pods/p1/log', 'follow=', 'get', true, false],
    ['GET', '/api/v1/namespaces/default/pods/p1/log', 'follow=0', 'get', false, false],
    // The API server decodes the path before routing: an encoded `watch` is still a watch.
    ['GET', '/api/v1/w%61tch/namespaces/default/pods', '', 'watch', true, false],
    // A named GET with ?watch is a get to the API server; tracked anyway, to be safe.
    ['GET', '/api/v1/namespaces/default/pods/p1', 'watch=1', 'get', true, false],
  ];
  for (const [method, path, query, verb, streaming, mutating] of cases) {
    it(`reads ${method} ${path}${query ? `?${query}` : ''} as ${verb}`, () => {
      expect(requestKindOf(method, path, query)).to.deep.equal({ verb, streaming, mutating });
    });
  }
});
