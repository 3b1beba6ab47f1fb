import { expect } from 'chai';
import { addressBucket, LoginThrottle } from '../../../src/identity/login-throttle.js';
import { MemoryStore } from '../../support/memory-store.js';
import { rejection, TestClock, testRuntime } from './fixtures.js';

describe('LoginThrottle', () => {
  let clock: TestClock;
  let throttle: LoginThrottle;
  const alice = { provider: 'local', username: 'alice', remoteAddress: '10.0.0.1' };

  beforeEach(() => {
    clock = new TestClock();
    throttle = new LoginThrottle(new MemoryStore({ now: clock.now }), {}, testRuntime(clock));
  });

  async function fail(times: number, attempt = alice): Promise<void> {
    for (let i = 0; i < times; i++) await throttle.recordFailure(attempt);
  }

  it('lets the first five failures through without waiting', async () => {
    await fail(5);
    await throttle.check(alice);
  });

  it('doubles the wait with each further failure and says when to retry', async () => {
    await fail(6);
    let err = await rejection(throttle.check(alice));
    expect([err.code, err.reason, err.details]).to.deep.equal([
      'TOO_MANY_REQUESTS',
      'login_throttled',
      { retryAfterSeconds: 1 },
    ]);
    clock.advance(1);
    await throttle.check(alice);
    await fail(3);
    err = await rejection(throttle.check(alice));
    expect(err.details).to.deep.equal({ retryAfterSeconds: 8 });
  });

  it('locks out for at most the maximum delay', async () => {
    await fail(40);
    expect((await rejection(throttle.check(alice))).details).to.deep.equal({
      retryAfterSeconds: 900,
    });
    clock.advance(900);
    await throttle.check(alice);
  });

  it('counts per account regardless of case and source address', async () => {
    await fail(6, { ...alice, username: 'ALICE', remoteAddress: '10.9.9.9' });
    const err = await rejection(throttle.check({ ...alice, remoteAddress: '192.168.1.1' }));
    expect(err.code).to.equal('TOO_MANY_REQUESTS');
    await throttle.check({ ...alice, username: 'bob' });
  });

  it('counts per source address across accounts', async () => {
    for (let i = 0; i < 21; i++) await throttle.recordFailure({ ...alice, username: `user${i}` });
    expect((await rejection(throttle.check({ ...alice, username: 'fresh' }))).code).to.equal(
      'TOO_MANY_REQUESTS',
    );
    await throttle.check({ ...alice, username: 'fresh', remoteAddress: '10.0.0.2' });
  });

  it('forgets failures after a quiet window and clears the account on success', async () => {
    await fail(5);
    clock.advance(901);
    await fail(1);
    await throttle.check(alice);
    await fail(4);
    await throttle.recordSuccess(alice);
    await fail(5);
    await throttle.check(alice);
  });

  it('treats IPv4-mapped IPv6 as IPv4 and counts IPv6 by /64', () => {
    expect(addressBucket('::ffff:10.0.0.1')).to.equal('10.0.0.1');
    expect(addressBucket('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:bbbb:cccc:dddd:eeee')).to.equal('2001:db8:1:2::/64');
    expect(addressBucket('::1')).to.equal('0:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).to.equal('fe80:0:0:0::/64');
    expect(addressBucket('not an ip')).to.equal(undefined);
  });
});
