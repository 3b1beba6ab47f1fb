import { expect } from 'chai';
import type { Identity } from '../../../src/domain/identity.js';
import { TokenCache } from '../../../src/identity/token-cache.js';
import { TestClock } from './fixtures.js';

function identity(userId: string, tokenId: string): Identity {
  return {
    userId,
    username: userId,
    displayName: userId,
    provider: 'local',
    principalIds: [],
    groupPrincipalIds: [],
    tokenId,
    tokenKind: 'session',
  };
}

describe('TokenCache', () => {
  it('serves an entry until its max age and drops it after', () => {
    const clock = new TestClock();
    const cache = new TokenCache({ now: clock.now, maxAgeMs: 1000 });
    cache.set('k', { identity: identity('u-1', 't-1') }, cache.generation);
    clock.advance(0.999);
    expect(cache.get('k')).not.to.equal(undefined);
    clock.advance(0.001);
    expect(cache.get('k')).to.equal(undefined);
  });

  it('never serves an entry past the credential’s own expiry', () => {
    const clock = new TestClock();
    const cache = new TokenCache({ now: clock.now, maxAgeMs: 60_000 });
    cache.set(
      'k',
      { identity: identity('u-1', 't-1'), validUntil: clock.ms + 10 },
      cache.generation,
    );
    clock.advance(0.01);
    expect(cache.get('k')).to.equal(undefined);
  });

  it('neither serves nor keeps anything while suspended (the change feed is down)', () => {
    const clock = new TestClock();
    const cache = new TokenCache({ now: clock.now });
    cache.set('k', { identity: identity('u-1', 't-1') }, cache.generation);
    cache.suspend(true);
    expect(cache.get('k')).to.equal(undefined);
    expect(cache.set('k', { identity: identity('u-1', 't-1') }, cache.generation)).to.equal(false);
    cache.suspend(false);
    expect(cache.get('k'), 'what was cached before the gap is gone').to.equal(undefined);
    expect(cache.set('k', { identity: identity('u-1', 't-1') }, cache.generation)).to.equal(true);
    expect(cache.get('k')).not.to.equal(undefined);
  });

  it('evicts the least recently used entry when full', () => {
    const clock = new TestClock();
    const cache = new TokenCache({ now: clock.now, maxEntries: 2 });
    cache.set('a', { identity: identity('u-1', 'a') }, cache.generation);
    cache.set('b', { identity: identity('u-1', 'b') }, cache.generation);
    cache.get('a');
    cache.set('c', { identity: identity('u-1', 'c') }, cache.generation);
    expect(cache.get('b')).to.equal(undefined);
    expect(cache.get('a')).not.to.equal(undefined);
    expect(cache.size).to.equal(2);
  });

  it('evicts every entry of a user or of a token', () => {
    const clock = new TestClock();
    const cache = new TokenCache({ now: clock.now });
    cache.set('a', { identity: identity('u-1', 't-a') }, cache.generation);
    cache.set('b', { identity: identity('u-1', 't-b') }, cache.generation);
    cache.set('c', { identity: identity('u-2', 't-c') }, cache.generation);
    cache.evictUser('u-1');
    expect([cache.get('a'), cache.get('b')]).to.deep.equal([undefined, undefined]);
    cache.evictToken('t-c');
    expect(cache.size).to.equal(0);
  });

  it('does not cache a verification that raced with an eviction', () => {
    const clock = new TestClock();
    const cache = new TokenCache({ now: clock.now });
    const generation = cache.generation;
    cache.evictUser('u-1');
    expect(cache.set('a', { identity: identity('u-1', 't-a') }, generation)).to.equal(false);
    expect(cache.get('a')).to.equal(undefined);
  });
});
