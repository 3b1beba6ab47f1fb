import { expect } from 'chai';
import type { RedirectStart } from '../../../src/domain/redirect-provider.js';
import { PendingLoginStore } from '../../../src/identity/oauth/index.js';
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
});
