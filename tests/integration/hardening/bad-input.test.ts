/**
 * Input that used to crash a running Paddock (HTTP 500, stack overflow) or hold a connection
 * forever: a malformed cookie on every route, deeply nested GraphQL variables, a TCP
 * connection that never starts TLS.
 */
import { connect as netConnect } from 'node:net';
import { expect } from 'chai';
import { fetchText } from '../../support/http-client.js';
import { type RunningPaddock, startRunningPaddock } from './support/running-paddock.js';

const BAD_COOKIE = 'paddock_session=%E0%A4%A';

describe('bad input on a running Paddock', function () {
  this.timeout(120_000);
  let p: RunningPaddock;

  before(async () => {
    p = await startRunningPaddock({
      clusters: ['east'],
      env: { PADDOCK_TLS_HANDSHAKE_TIMEOUT_SECONDS: '1' },
    });
  });
  after(() => p?.stop());

  it('answers a malformed session cookie with 400 or 401 on every route, never 500', async () => {
    const routes: [string, string][] = [
      ['POST', '/graphql'],
      ['GET', '/graphql?query=%7B__typename%7D'],
      ['GET', '/k8s/clusters/east/api/v1/namespaces'],
      ['GET', '/v1/kubeconfig'],
      ['POST', '/v1/auth/logout'],
      ['GET', '/v1/auth/oidc/callback?state=abc&code=x'],
      ['GET', '/v1/import/east.yaml'],
      ['GET', '/metrics'],
    ];
    for (const [method, path] of routes) {
      const res = await fetchText(`${p.paddock.url}${path}`, {
        method,
        headers: {
          cookie: `${BAD_COOKIE}; paddock_oauth_state=%E0%A4%A`,
          'content-type': 'application/json',
          'apollo-require-preflight': 'true',
        },
        body: method === 'POST' ? '{"query":"{ __typename }"}' : undefined,
        ca: p.paddock.caPem,
      });
      expect([400, 401, 404], `${method} ${path}: ${res.status} ${res.body}`).to.include(
        res.status,
      );
    }
    expect(p.paddock.output()).not.to.contain('URI malformed');
  });

  it('refuses deeply nested GraphQL variables with a clear 400 before running the operation', async () => {
    for (const nested of ['['.repeat(10_000) + ']'.repeat(10_000), deepObject(10_000)]) {
      const body = `{"query":"mutation($x: JSON) { createNamespace(clusterId: \\"east\\", name: \\"deep\\", labels: $x) { name } }","variables":{"x":${nested}}}`;
      const res = await fetchText(`${p.paddock.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${p.adminToken}` },
        body,
        ca: p.paddock.caPem,
      });
      expect(res.status, res.body).to.equal(400);
      const error = JSON.parse(res.body).errors[0];
      expect(error.extensions).to.include({ code: 'BAD_REQUEST', reason: 'json_too_deep' });
      expect(error.message).to.contain('more than 64 levels deep');
    }
    const viaGet = await fetchText(
      `${p.paddock.url}/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent(`{"x":${'['.repeat(100)}${']'.repeat(100)}}`)}`,
      {
        headers: { authorization: `Bearer ${p.adminToken}`, 'apollo-require-preflight': 'true' },
        ca: p.paddock.caPem,
      },
    );
    expect(viaGet.status, viaGet.body).to.equal(400);
    const literal = `mutation { createNamespace(clusterId: "east", name: "deep", labels: ${'['.repeat(2_400)}${']'.repeat(2_400)}) { name } }`;
    const inDocument = await p.graphql(p.adminToken, literal);
    expect(inDocument.status).to.equal(400);
    expect(inDocument.errors?.[0]?.extensions).to.include({ reason: 'document_too_deep' });
    // A sane nesting still works.
    const ok = await p.graphql(p.adminToken, 'query($x: JSON) { __typename }', {
      x: { a: { b: [[1]] } },
    });
    expect(ok.errors?.[0]?.extensions?.code).not.to.equal('BAD_REQUEST');
  });

  it('closes a TCP connection that never starts its TLS handshake', async () => {
    const port = Number(new URL(p.paddock.url).port);
    const started = Date.now();
    const closedAfterMs = await new Promise<number>((resolve, reject) => {
      const socket = netConnect({ port, host: '127.0.0.1' });
      const guard = setTimeout(() => {
        socket.destroy();
        reject(new Error('the idle connection was still open after 8 s'));
      }, 8_000);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(guard);
        resolve(Date.now() - started);
      });
    });
    expect(closedAfterMs).to.be.at.least(900).and.at.most(6_000);
  });

  it('still completes a normal TLS handshake and request after the idle one', async () => {
    const res = await p.get('/healthz');
    expect(res.status).to.equal(200);
  });
});

function deepObject(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
