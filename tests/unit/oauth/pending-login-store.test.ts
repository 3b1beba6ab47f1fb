import { expect } from 'chai';
import type { RedirectStart } from '../../../src/domain/redirect-provider.js';
import type { PaddockError } from '../../../src/errors/index.js';
import { PendingLoginStore, pendingLoginsCollection } from '../../../src/identity/oauth/index.js';
import { MemoryStore } from '../../support/memory-store.js';

const STATE = 'c3RhdGUtdGhhdC1pcy1sb25nLWVub3VnaA';

function started(now: number, ttlSeconds: number): RedirectStart {
  return {
    authorizationUrl: 'https://github.com/login/oauth/authorize?state=x',
    state: STATE,
    pending: {
      provider: 'github',
      state: STATE,
      redirectUri: 'https://paddock.example.com/cb',
      createdAt: now,
      expiresAt: now + ttlSeconds * 1000,
      codeVerifier: 'v'.repeat(43),
    },
  };
}

describe('PendingLoginStore', () => {
  it('hands a pending login back once, so a replayed callback finds nothing', async () => {
    const now = 1_000_000;
    const logins = new PendingLoginStore(new MemoryStore({ now: () => now }), () => now);
    const start = started(now, 600);
    await logins.save(start);
    expect(await logins.take(STATE)).to.deep.equal(start.pending);
    expect(await logins.take(STATE)).to.equal(undefined);
  });

  it('forgets a pending login once its login timeout has passed', async () => {
    let now = 1_000_000;
    const logins = new PendingLoginStore(new MemoryStore({ now: () => now }), () => now);
    await logins.save(started(now, 60));
    now += 61_000;
    expect(await logins.take(STATE)).to.equal(undefined);
  });

  it('does not look up states that it could not have made', async () => {
    const store = new MemoryStore();
    const logins = new PendingLoginStore(store);
    for (const state of [
      undefined,
      null,
      '',
      'short',
      'has spaces in it but is long',
      'x'.repeat(200),
    ]) {
      expect(await logins.take(state)).to.equal(undefined);
    }
  });

  it('refuses a start beyond the cap of live pending logins per source until one ends', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    const logins = new PendingLoginStore(store, () => now, { maxPerSource: 3 });
    const save = (state: string, address: string) => {
      const start = started(now, 600);
      return logins.save(
        { ...start, state, pending: { ...start.pending, state, createdAt: now } },
        address,
      );
    };
    for (let i = 0; i < 3; i++) {
      await save(`state-number-${i}-of-the-flood`, '::ffff:10.0.0.9');
      now += 1000;
    }
    const writes = store.writes;
    const refused = await save('state-number-3-of-the-flood', '10.0.0.9').then(
      () => undefined,
      (err: PaddockError) => err,
    );
    expect([refused?.code, refused?.reason]).to.deep.equal([
      'TOO_MANY_REQUESTS',
      'too_many_pending_logins',
    ]);
    expect(refused?.details).to.deep.equal({ retryAfterSeconds: 597 });
    expect(store.writes).to.equal(writes);
    await save('state-of-another-address-x', '10.0.0.10');
    await logins.take('state-number-0-of-the-flood');
    await save('state-number-4-of-the-flood', '10.0.0.9');
    expect(await store.collection(pendingLoginsCollection).list()).to.have.length(4);
  });

  it('lets only the cap of concurrent starts of one source through', async () => {
    const store = new MemoryStore();
    const logins = new PendingLoginStore(store, Date.now, { maxPerSource: 2 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => {
        const state = `v6-state-number-${i}-abcdef`;
        const start = started(Date.now(), 600);
        // One IPv6 /64 is one source.
        return logins.save(
          { ...start, state, pending: { ...start.pending, state } },
          `2001:db8::${i}`,
        );
      }),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(2);
    expect(await store.collection(pendingLoginsCollection).list()).to.have.length(2);
  });
});
