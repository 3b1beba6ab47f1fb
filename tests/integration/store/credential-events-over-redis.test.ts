import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { CredentialRevokedEvent } from '../../../src/domain/credential-events.js';
import {
  AesGcmSecretBox,
  createIdentityServices,
  type IdentityServices,
  StoreCredentialEvents,
} from '../../../src/identity/index.js';
import { RedisStore } from '../../../src/store/index.js';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * What identity writes on one replica (logout, revoked key, disabled user, sign out everywhere)
 * reaches the credential events of another replica sharing the Redis within a second.
 */
describe('credential events between replicas sharing Redis', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let a: RedisStore;
  let b: RedisStore;
  let identityA: IdentityServices;
  const seenOnB: { at: number; event: CredentialRevokedEvent }[] = [];
  let stop: () => void;

  before(async () => {
    redis = await RedisServer.start();
    const prefix = `t-${randomUUID()}:`;
    a = await RedisStore.open({ url: redis.url, keyPrefix: prefix });
    b = await RedisStore.open({ url: redis.url, keyPrefix: prefix });
    identityA = createIdentityServices({
      store: a,
      secretBox: new AesGcmSecretBox(randomBytes(32)),
      apiKeyPepper: randomBytes(32),
      issuer: 'https://paddock.test',
      hasAnyMembership: async () => false,
    });
    await identityA.start();
    stop = new StoreCredentialEvents(b).onRevoked((event) =>
      seenOnB.push({ at: Date.now(), event }),
    );
  });
  after(async () => {
    stop?.();
    identityA?.close();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  /** Runs `act` on replica A and returns what B announced, asserting it came within a second. */
  const onB = async (
    act: () => Promise<unknown>,
    wanted: (e: CredentialRevokedEvent) => boolean,
  ) => {
    const from = seenOnB.length;
    const since = Date.now();
    await act();
    const hit = await waitFor(
      'the event on replica B',
      () => seenOnB.slice(from).find((s) => wanted(s.event)),
      { timeoutMs: 1_000 },
    );
    expect(hit.at - since).to.be.lessThan(1_000);
    return hit.event;
  };

  it('announces a logout, a revoked key, a sign-out-everywhere and a disabled user on the other replica', async () => {
    const user = await identityA.users.create({ username: `u${randomUUID()}`, provider: 'local' });
    const session = await identityA.sessions.create({ userId: user.id, provider: 'local' });
    const key = await identityA.apiKeys.create({ userId: user.id });

    expect(
      await onB(
        () => identityA.login.logout(session.token),
        (e) => e.kind === 'token',
      ),
    ).to.deep.equal({ kind: 'token', tokenId: session.claims.sessionId });
    expect(
      await onB(
        () => identityA.apiKeys.revoke(key.key.keyId),
        (e) => e.kind === 'token',
      ),
    ).to.deep.equal({ kind: 'token', tokenId: key.key.keyId });
    const cut = await onB(
      () => identityA.users.revokeAllSessions(user.id),
      (e) => e.kind === 'sessions-cut',
    );
    expect(cut).to.deep.include({ kind: 'sessions-cut', userId: user.id });
    expect(
      await onB(
        () => identityA.users.disable(user.id, 'admin'),
        (e) => e.kind === 'user',
      ),
    ).to.deep.equal({ kind: 'user', userId: user.id });
  });
});
