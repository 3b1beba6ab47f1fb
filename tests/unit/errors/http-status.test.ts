import { expect } from 'chai';
import { httpStatusOf, PaddockError } from '../../../src/errors/index.js';

describe('httpStatusOf', () => {
  it('maps a conflict to 409 and an upstream timeout to 504', () => {
    expect(httpStatusOf('CONFLICT')).to.equal(409);
    expect(httpStatusOf('UPSTREAM_TIMEOUT')).to.equal(504);
  });

  it('keeps the code and reason on a PaddockError', () => {
    const err = new PaddockError('UNAUTHENTICATED', 'token expired', { reason: 'token_expired' });
    expect(err.code).to.equal('UNAUTHENTICATED');
    expect(err.reason).to.equal('token_expired');
    expect(httpStatusOf(err.code)).to.equal(401);
  });
});
