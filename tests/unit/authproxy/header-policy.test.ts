import { expect } from 'chai';
import {
  assertOutgoingHeaders,
  assertOutgoingRecord,
  extraHeaderName,
  impersonationHeaders,
  scrubRequestHeaders,
  upstreamHeaders,
  withImpersonation,
} from '../../../src/authproxy/header-policy.js';
import { identity } from './support/map-authenticator.js';

describe('header policy', () => {
  it('percent-encodes and lowercases extra keys', () => {
    expect(extraHeaderName('paddock.io/principal-id')).to.equal(
      'impersonate-extra-paddock.io%2fprincipal-id',
    );
    expect(extraHeaderName('Ünï/x')).to.equal('impersonate-extra-%c3%bcn%c3%af%2fx');
  });

  it('impersonates the user id with one group line per group principal plus system:authenticated', () => {
    const h = impersonationHeaders(identity('u-alice'), 'tok');
    expect(h).to.deep.equal({
      authorization: 'Bearer tok',
      'impersonate-user': 'u-alice',
      'impersonate-group': [
        'openldap_group://cn=devs,dc=example',
        'github_team://42',
        'system:authenticated',
      ],
      'impersonate-extra-paddock.io%2fprincipal-id': ['local://u-alice'],
      'impersonate-extra-paddock.io%2fusername': 'alice',
    });
  });

  it('sends a UTF-8 group name as its bytes', () => {
    const h = impersonationHeaders(
      identity('u-a', { groupPrincipalIds: ['oidc_group://Équipe'], principalIds: [] }),
      't',
    );
    const sent = Buffer.from((h['impersonate-group'] as string[])[0]!, 'latin1').toString('utf8');
    expect(sent).to.equal('oidc_group://Équipe');
  });

  it('refuses a principal containing a line break instead of altering it', () => {
    expect(() =>
      impersonationHeaders(
        identity('u-a', { groupPrincipalIds: ['a\r\nImpersonate-User: root'] }),
        't',
      ),
    )
      .to.throw()
      .with.property('reason', 'unrepresentable_principal');
  });

  it('drops headers named in Connection but never the body framing', () => {
    const out = scrubRequestHeaders([
      'Connection',
      'X-Secret, Content-Length, accept',
      'X-Secret',
      '1',
      'Content-Length',
      '2',
      'Accept',
      'application/json',
      'User-Agent',
      'kubectl',
    ]);
    expect(out).to.deep.equal({ 'content-length': '2', 'user-agent': 'kubectl' });
  });

  it('keeps repeated non-identity lines as separate values', () => {
    const out = scrubRequestHeaders([
      'X-Stream-Protocol-Version',
      'v4.channel.k8s.io',
      'x-stream-protocol-version',
      'v3.channel.k8s.io',
    ]);
    expect(out['x-stream-protocol-version']).to.deep.equal([
      'v4.channel.k8s.io',
      'v3.channel.k8s.io',
    ]);
  });

  it('accepts exactly the impersonation it built', () => {
    const id = identity('u-alice');
    const headers = upstreamHeaders(['Accept', '*/*'], id, 'tok', 'h:1');
    expect(() =>
      assertOutgoingHeaders(Object.entries(headers), impersonationHeaders(id, 'tok')),
    ).to.not.throw();
  });

  const leaks: [string, Record<string, string | string[]>][] = [
    ['a second Authorization', { Authorization: 'Bearer client' }],
    ['an extra Impersonate-Group line', { 'Impersonate-Group': 'system:masters' }],
    ['an Impersonate-Uid', { 'impersonate-uid': '0' }],
    ['a foreign Impersonate-Extra', { 'Impersonate-Extra-Scopes': 'x' }],
    ['an X-Remote-User', { 'X-Remote-User': 'admin' }],
    ['an X-Forwarded-For', { 'x-forwarded-for': '1.2.3.4' }],
    ['a cookie', { cookie: 'paddock_session=x' }],
  ];
  for (const [what, extra] of leaks) {
    it(`fails closed when the outgoing request carries ${what}`, () => {
      const id = identity('u-alice');
      const expected = impersonationHeaders(id, 'tok');
      const entries = [...Object.entries(expected), ...Object.entries(extra)];
      expect(() => assertOutgoingHeaders(entries, expected))
        .to.throw()
        .with.property('reason', 'header_leak');
    });
  }

  it('fails closed when an impersonation line Paddock set is missing', () => {
    const id = identity('u-alice');
    const expected = impersonationHeaders(id, 'tok');
    const entries = Object.entries(expected).filter(([n]) => n !== 'impersonate-user');
    expect(() => assertOutgoingHeaders(entries, expected))
      .to.throw()
      .with.property('reason', 'header_leak');
  });

  describe('the quick check of a header record built from the impersonation', () => {
    const expectedFor = () => impersonationHeaders(identity('u-alice'), 'tok');

    it('accepts the record withImpersonation built from it', () => {
      const expected = expectedFor();
      const headers = withImpersonation(
        ['Accept', '*/*', 'User-Agent', 'kubectl'],
        expected,
        'h:1',
      );
      expect(() => assertOutgoingRecord(headers, expected)).to.not.throw();
    });

    for (const [what, extra] of leaks) {
      it(`fails closed when the record also carries ${what}`, () => {
        const expected = expectedFor();
        const lower = Object.fromEntries(
          Object.entries(extra).map(([n, v]) => [n.toLowerCase(), v]),
        );
        // Added after Paddock's own lines, as a broken scrubber would leave them.
        const headers = { ...withImpersonation([], expected, 'h:1'), ...lower };
        expect(() => assertOutgoingRecord(headers, expected))
          .to.throw()
          .with.property('reason', 'header_leak');
      });
    }

    it('fails closed when an identity value is an equal-looking copy that differs', () => {
      const expected = expectedFor();
      const headers = { ...withImpersonation([], expected, 'h:1') };
      headers['impersonate-group'] = ['system:masters', 'system:authenticated'];
      expect(() => assertOutgoingRecord(headers, expected))
        .to.throw()
        .with.property('reason', 'header_leak');
    });

    it('fails closed when a line Paddock set is missing from the record', () => {
      const expected = expectedFor();
      const { 'impersonate-user': _dropped, ...headers } = withImpersonation([], expected, 'h:1');
      expect(() => assertOutgoingRecord(headers, expected))
        .to.throw()
        .with.property('reason', 'header_leak');
    });
  });
});
