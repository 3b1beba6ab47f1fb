import { expect } from 'chai';
import { type AuditResult, auditServer } from 'graphql-http';
import {
  type GraphQLHarness,
  startGraphQLHarness,
} from '../../unit/graphql/support/graphql-harness.js';

/** The GET audits that CSRF prevention refuses on purpose (MAY-level in the audit suite). */
const csrfRefusedGets = [
  'MAY accept application/x-www-form-urlencoded formatted GET requests',
  'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  'MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
];

function failures(results: AuditResult[]): string[] {
  return results
    .filter((r) => r.status !== 'ok')
    .map((r) => `${r.status}: ${r.name}${'reason' in r ? ` (${r.reason})` : ''}`);
}

describe('graphql-http server audits against /graphql on a Paddock server', () => {
  let h: GraphQLHarness;
  before(async () => {
    // Two audits send `__type(name:)` queries, so introspection must be on (the default
    // outside production; production needs `introspection: true` to pass them).
    h = await startGraphQLHarness({ production: true, introspection: true });
  });
  after(async () => {
    await h.stop();
  });

  it('passes every MUST and SHOULD audit; only CSRF-refused GETs fall short of a MAY', async () => {
    const results = await auditServer({ url: h.url });
    expect(results.length).to.be.greaterThan(50);
    expect(
      results.filter((r) => r.status === 'error' || r.status === 'warn').map((r) => r.name),
    ).to.deep.equal([]);
    expect(
      failures(results).map((f) => f.replace(/^notice: /, '').replace(/ \(.*$/, '')),
    ).to.have.members(csrfRefusedGets);
  });

  it('passes every audit for a client that sends a CSRF preflight header', async () => {
    const preflighted: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('graphql-require-preflight', '1');
      return fetch(input, { ...init, headers });
    };
    const results = await auditServer({ url: h.url, fetchFn: preflighted });
    expect(failures(results)).to.deep.equal([]);
  });
});
