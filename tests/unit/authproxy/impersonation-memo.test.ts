import { expect } from 'chai';
import {
  assertOutgoingHeaders,
  impersonationHeaders,
  withImpersonation,
} from '../../../src/authproxy/header-policy.js';
import { ImpersonationMemo } from '../../../src/authproxy/impersonation-memo.js';
import { identity } from './support/map-authenticator.js';

describe('impersonation memo', () => {
  it('builds the same lines as impersonationHeaders, once per identity', () => {
    const memo = new ImpersonationMemo();
    const id = identity('u-alice');
    const first = memo.headersFor(id, 'tok');
    expect(first).to.deep.equal(impersonationHeaders(id, 'tok'));
    expect(memo.headersFor(id, 'tok')).to.equal(first);
  });

  it('rebuilds the lines when the impersonator token changes', () => {
    const memo = new ImpersonationMemo();
    const id = identity('u-alice');
    memo.headersFor(id, 'old');
    expect(memo.headersFor(id, 'new').authorization).to.equal('Bearer new');
  });

  it('keeps another identity object of the same user apart (a changed user is a new identity)', () => {
    const memo = new ImpersonationMemo();
    memo.headersFor(identity('u-alice'), 'tok');
    const changed = identity('u-alice', { groupPrincipalIds: [], principalIds: [] });
    expect(memo.headersFor(changed, 'tok')['impersonate-group']).to.deep.equal([
      'system:authenticated',
    ]);
  });

  it('hands out frozen lines so that one request cannot change another caller request', () => {
    const memo = new ImpersonationMemo();
    const h = memo.headersFor(identity('u-alice'), 'tok');
    expect(Object.isFrozen(h)).to.equal(true);
    expect(Object.isFrozen(h['impersonate-group'])).to.equal(true);
    const merged = withImpersonation(['Accept', '*/*'], h, 'h:1');
    merged.connection = 'Upgrade';
    expect(h).to.not.have.property('connection');
  });

  it('still fails closed on a leak when the expected lines are shared and frozen', () => {
    const memo = new ImpersonationMemo();
    const expected = memo.headersFor(identity('u-alice'), 'tok');
    const clean = withImpersonation(['Accept', '*/*'], expected, 'h:1');
    expect(() => assertOutgoingHeaders(Object.entries(clean), expected)).to.not.throw();
    const leaked = [...Object.entries(clean), ['Impersonate-Group', 'system:masters'] as const];
    expect(() => assertOutgoingHeaders(leaked, expected))
      .to.throw()
      .with.property('reason', 'header_leak');
    const missing = Object.entries(clean).filter(([n]) => n !== 'impersonate-user');
    expect(() => assertOutgoingHeaders(missing, expected))
      .to.throw()
      .with.property('reason', 'header_leak');
  });
});
