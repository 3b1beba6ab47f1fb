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
  ];
  for (const [method, path, query, verb, streaming, mutating] of cases) {
    it(`reads ${method} ${path}${query ? `?${query}` : ''} as ${verb}`, () => {
      expect(requestKindOf(method, path, query)).to.deep.equal({ verb, streaming, mutating });
    });
  }
});
