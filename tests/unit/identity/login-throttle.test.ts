import { expect } from 'chai';
import { addressBucket, LoginThrottle } from '../../../src/identity/login-throttle.js';
import { MemoryStore } from '../../support/memory-store.js';
import { rejection, TestClock, testRuntime } from './fixtures.js';

describe('LoginThrottle', () => {
  let clock: TestClock;
  let throttle: LoginThrottle;
  let pauses: number[];
  const alice = { provider: 'local', username: 'alice', remoteAddress: '10.0.0.1' };

  beforeEach(() => {
    clock = new TestClock();
    pauses = [];
    throttle = new LoginThrottle(
      new MemoryStore({ now: clock.now }),
      {},
      testRuntime(clock),
      async (ms) => {
        pauses.push(ms);
      },
    );
  });

  async function fail(times: number, attempt = alice): Promise<void> {
    for (let i = 0; i < times; i++) await throttle.recordFailure(attempt);
  }

  it('lets the first five failures of an account from one address through without waiting', async () => {
    await fail(5);
    await throttle.check(alice);
    expect(pauses).to.deep.equal([]);
  });

  it('doubles the wait of that account at that address with each further failure', async () => {
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

  it('makes that pair wait at most the maximum delay', async () => {
    await fail(40);
    expect((await rejection(throttle.check(alice))).details).to.deep.equal({
      retryAfterSeconds: 900,
    });
    clock.advance(900);
    await throttle.check(alice);
  });

  it('does not lock the owner out from another address while an attacker hammers the account', async () => {
    // Regression: five failures from anywhere used to lock the account everywhere for 15 min.
    for (let source = 1; source <= 8; source++) {
      await fail(6, { ...alice, username: 'ALICE', remoteAddress: `203.0.113.${source}` });
    }
    expect(
      (await rejection(throttle.check({ ...alice, remoteAddress: '203.0.113.1' }))).code,
    ).to.equal('TOO_MANY_REQUESTS');
    await throttle.check({ ...alice, remoteAddress: '192.168.1.1' });
    expect(pauses).to.deep.equal([2000]);
  });

  it('slows an account failing from many addresses progressively, never beyond two seconds', async () => {
    const from = (n: number) => ({ ...alice, remoteAddress: `198.51.100.${n}` });
    for (let n = 1; n <= 10; n++) await fail(1, from(n));
    await throttle.check(from(99));
    await fail(1, from(11));
    await throttle.check(from(99));
    await fail(1, from(12));
    await throttle.check(from(99));
    await fail(20, from(13));
    await throttle.check(from(99));
    expect(pauses).to.deep.equal([250, 500, 2000]);
  });

  it('makes an address that fails for many accounts wait (password spraying)', async () => {
    for (let i = 0; i < 21; i++) await throttle.recordFailure({ ...alice, username: `user${i}` });
    expect((await rejection(throttle.check({ ...alice, username: 'fresh' }))).code).to.equal(
      'TOO_MANY_REQUESTS',
    );
    await throttle.check({ ...alice, username: 'fresh', remoteAddress: '10.0.0.2' });
  });

  it('forgives an address the typos of a user who then logs in, not failures against others', async () => {
    for (let i = 0; i < 17; i++) await throttle.recordFailure({ ...alice, username: `user${i}` });
    await fail(3);
    await throttle.recordSuccess(alice);
    // 17 against others remain: three more reach the 20 free ones, the fourth waits.
    for (let i = 0; i < 3; i++) await throttle.recordFailure({ ...alice, username: 'mallory' });
    await throttle.check({ ...alice, username: 'bob' });
    await throttle.recordFailure({ ...alice, username: 'mallory' });
    expect((await rejection(throttle.check({ ...alice, username: 'bob' }))).code).to.equal(
      'TOO_MANY_REQUESTS',
    );
  });

  it('forgets failures after a quiet window and starts a pair afresh on success', async () => {
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
