import { expect } from 'chai';
import { ApiKeyService } from '../../../src/identity/api-keys.js';
import { TokenAuthenticator } from '../../../src/identity/authenticator.js';
import { CredentialFailureLimiter } from '../../../src/identity/credential-failure-limiter.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { rejection, sessionFixture, TestClock, testRuntime } from './fixtures.js';

describe('CredentialFailureLimiter', () => {
  it('refuses an address after its burst of failures and lets it try again as tokens return', () => {
    const clock = new TestClock();
    const limiter = new CredentialFailureLimiter(clock.now, { maxFailures: 3, windowMs: 30_000 });
    for (let i = 0; i < 3; i++) {
      limiter.check('10.0.0.1');
      limiter.recordFailure('10.0.0.1');
    }
    let refused: unknown;
    try {
      limiter.check('::ffff:10.0.0.1');
    } catch (err) {
      refused = err;
    }
    expect(refused).to.include({
      code: 'TOO_MANY_REQUESTS',
      reason: 'too_many_failed_credentials',
    });
    expect((refused as { details: unknown }).details).to.deep.equal({ retryAfterSeconds: 10 });
    limiter.check('10.0.0.2');
    limiter.check('2001:db8::1');
    clock.advance(10);
    limiter.check('10.0.0.1');
  });

  it('counts an IPv6 /64 as one address and ignores requests without one', () => {
    const limiter = new CredentialFailureLimiter(Date.now, { maxFailures: 2 });
    limiter.recordFailure('2001:db8:0:1::a');
    limiter.recordFailure('2001:db8:0:1::b');
    expect(() => limiter.check('2001:db8:0:1::c')).to.throw('too many failed credential checks');
    limiter.recordFailure(undefined);
    limiter.check(undefined);
  });
});

describe('TokenAuthenticator with guessed credentials', () => {
  async function setup() {
    const f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    const users = new UserRepository(f.store, runtime);
    const apiKeys = new ApiKeyService(f.store, { pepper: Buffer.alloc(32, 1), runtime });
    const auth = new TokenAuthenticator(
      { store: f.store, users, sessions: f.sessions, apiKeys },
      { runtime, failureLimit: { maxFailures: 5, windowMs: 60_000 } },
    );
    auth.start();
    const user = await users.create({ username: 'alice', provider: 'local' });
    const from = (token: string, remoteAddress: string) => ({
      headers: { authorization: `Bearer ${token}` },
      remoteAddress,
    });
    return { f, auth, apiKeys, user, from };
  }

  it('answers 429 to an address that keeps presenting wrong API keys, and 401 before that', async () => {
    const { auth, apiKeys, user, from } = await setup();
    const real = await apiKeys.create({ userId: user.id });
    const keyId = real.key.keyId;
    const guess = (n: number) => `pdk_${keyId}_${String(n).padStart(43, 'A')}`;
    for (let i = 0; i < 5; i++) {
      expect((await rejection(auth.authenticate(from(guess(i), '10.0.0.1')))).code).to.equal(
        'UNAUTHENTICATED',
      );
    }
    const limited = await rejection(auth.authenticate(from(real.token, '10.0.0.1')));
    expect([limited.code, limited.reason]).to.deep.equal([
      'TOO_MANY_REQUESTS',
      'too_many_failed_credentials',
    ]);
    expect((await auth.authenticate(from(real.token, '10.0.0.2'))).userId).to.equal(user.id);
    auth.close();
  });

  it('keeps serving a credential already known good from a limited address', async () => {
    const { auth, apiKeys, user, from } = await setup();
    const real = await apiKeys.create({ userId: user.id });
    await auth.authenticate(from(real.token, '10.0.0.1'));
    for (let i = 0; i < 6; i++) {
      await rejection(auth.authenticate(from('not.a.jwt', '10.0.0.1')));
    }
    expect((await auth.authenticate(from(real.token, '10.0.0.1'))).userId).to.equal(user.id);
    auth.close();
  });

  it('does not count an expired or revoked real credential as a guess', async () => {
    const { f, auth, apiKeys, user, from } = await setup();
    const expiring = await apiKeys.create({ userId: user.id, expiresAt: f.clock.ms + 1000 });
    f.clock.advance(2);
    for (let i = 0; i < 10; i++) {
      const err = await rejection(auth.authenticate(from(expiring.token, '10.0.0.1')));
      expect(err.reason).to.equal('api_key_expired');
    }
    auth.close();
  });
});
