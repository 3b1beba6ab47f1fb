import { expect } from 'chai';
import { rejection, sessionFixture } from './fixtures.js';

describe('SessionService', () => {
  it('refuses a session after logout, on every replica sharing the store', async () => {
    const f = await sessionFixture();
    const replica = await sessionFixture({ store: f.store, clock: f.clock });
    const { token } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    await replica.sessions.verify(token);
    expect(await f.sessions.logout(token)).to.equal(true);
    expect((await rejection(replica.sessions.verify(token))).reason).to.equal('token_revoked');
  });

  it('keeps the revocation only as long as the token could live', async () => {
    const f = await sessionFixture();
    const { token, claims } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    await f.sessions.logout(token);
    const record = await f.sessions.revocations.get(claims.sessionId);
    expect(record!.expiresAt).to.be.at.most(claims.expiresAt + 31_000);
    expect(record!.expiresAt).to.be.at.least(claims.expiresAt);
  });

  it('treats logout of an unusable token as nothing to do', async () => {
    const f = await sessionFixture();
    expect(await f.sessions.logout('garbage')).to.equal(false);
  });

  it('ends a session that was idle longer than the idle timeout', async () => {
    const f = await sessionFixture({ idleTtlSeconds: 600 });
    const { token } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    f.clock.advance(599);
    await f.sessions.verify(token);
    f.clock.advance(601);
    expect((await rejection(f.sessions.verify(token))).reason).to.equal('session_idle_timeout');
  });

  it('keeps a session alive while it is used, writing activity at most once a minute', async () => {
    const f = await sessionFixture({ idleTtlSeconds: 600 });
    const { token, claims } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    const writesBefore = f.store.writes;
    for (let i = 0; i < 30; i++) {
      f.clock.advance(10);
      await f.sessions.touch(claims);
    }
    expect(f.store.writes - writesBefore).to.equal(5);
    f.clock.advance(500);
    await f.sessions.verify(token);
  });

  it('does not bring back a logged-out session when it is touched', async () => {
    const f = await sessionFixture({ idleTtlSeconds: 600 });
    const { token, claims } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    await f.sessions.logout(token);
    f.clock.advance(120);
    await f.sessions.touch(claims);
    expect(await f.sessions.activity.get(claims.sessionId)).to.equal(undefined);
  });
});
