import { expect } from 'chai';
import { SignJWT } from 'jose';
import { SESSION_TOKEN_TYPE } from '../../../src/identity/session-tokens.js';
import { SESSION_ALGORITHM } from '../../../src/identity/signing-key-ring.js';
import { rejection, type SessionFixture, sessionFixture } from './fixtures.js';

/** A session token as v0.1.0 signed it: the same claims, but no `srec`. */
async function legacyToken(f: SessionFixture, userId: string): Promise<string> {
  const { kid, privateKey } = await f.ring.signingKey();
  const now = Math.floor(f.clock.now() / 1000);
  return new SignJWT({ pvd: 'local', iatms: f.clock.now() })
    .setProtectedHeader({ alg: SESSION_ALGORITHM, kid, typ: SESSION_TOKEN_TYPE })
    .setIssuer('https://paddock.test')
    .setAudience('paddock')
    .setSubject(userId)
    .setJti('legacy-session-0000000001')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
}

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

  it('adopts a session issued by the previous release, which kept no records, and ends it like any other', async () => {
    const f = await sessionFixture();
    const legacy = await legacyToken(f, 'u-abc123');
    const claims = await f.sessions.verify(legacy);
    expect(claims.recorded).to.equal(false);
    expect((await f.sessions.records.get(claims.sessionId))?.value.userId).to.equal('u-abc123');
    expect(await f.sessions.logout(legacy)).to.equal(true);
    expect((await rejection(f.sessions.verify(legacy))).reason).to.equal('token_revoked');
  });

  it('refuses a session of this release whose record is gone', async () => {
    const f = await sessionFixture();
    const { token, claims } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    await f.sessions.records.delete(claims.sessionId);
    expect((await rejection(f.sessions.verify(token))).reason).to.equal('session_ended');
  });

  it('does not bring back a logged-out session when it is touched', async () => {
    const f = await sessionFixture({ idleTtlSeconds: 600 });
    const { token, claims } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    await f.sessions.logout(token);
    f.clock.advance(120);
    await f.sessions.touch(claims);
    expect(await f.sessions.records.get(claims.sessionId)).to.equal(undefined);
  });
});

describe('SessionService with a changing session policy', () => {
  it('refuses a validly signed session whose record is gone', async () => {
    const f = await sessionFixture();
    const { token, claims } = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    await f.sessions.records.delete(claims.sessionId);
    expect((await rejection(f.sessions.verify(token))).reason).to.equal('session_ended');
  });

  it('applies a new idle timeout to sessions already open and a new lifetime to new ones', async () => {
    let limits = { ttlSeconds: 3600, idleTtlSeconds: 0 };
    const f = await sessionFixture({ policy: { current: async () => limits } });
    const open = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    expect(open.claims.expiresAt - open.claims.issuedAt).to.be.closeTo(3_600_000, 1000);
    f.clock.advance(300);
    await f.sessions.verify(open.token);
    limits = { ttlSeconds: 600, idleTtlSeconds: 120 };
    expect((await rejection(f.sessions.verify(open.token))).reason).to.equal(
      'session_idle_timeout',
    );
    const fresh = await f.sessions.create({ userId: 'u-abc123', provider: 'local' });
    expect(fresh.claims.expiresAt - fresh.claims.issuedAt).to.be.closeTo(600_000, 1000);
    f.clock.advance(100);
    await f.sessions.touch(fresh.claims);
    f.clock.advance(100);
    await f.sessions.verify(fresh.token);
  });

  it('records where a session came from and lists a user’s live sessions newest first', async () => {
    const f = await sessionFixture();
    const a = await f.sessions.create({
      userId: 'u-abc123',
      provider: 'local',
      remoteAddress: '10.0.0.7',
      userAgent: 'kubectl/v1.32',
    });
    f.clock.advance(5);
    const b = await f.sessions.create({ userId: 'u-abc123', provider: 'openldap' });
    await f.sessions.create({ userId: 'u-other1', provider: 'local' });
    const listed = await f.sessions.registry.list('u-abc123');
    expect(listed.map((s) => s.sessionId)).to.deep.equal([b.claims.sessionId, a.claims.sessionId]);
    expect(listed[1]).to.include({ remoteAddress: '10.0.0.7', userAgent: 'kubectl/v1.32' });
    f.clock.advance(3600);
    expect(await f.sessions.registry.list('u-abc123')).to.deep.equal([]);
  });

  it('ends every session of a user through the revocation list, and only theirs', async () => {
    const f = await sessionFixture();
    const mine = [
      await f.sessions.create({ userId: 'u-abc123', provider: 'local' }),
      await f.sessions.create({ userId: 'u-abc123', provider: 'local' }),
    ];
    const other = await f.sessions.create({ userId: 'u-other1', provider: 'local' });
    expect(await f.sessions.registry.revokeAllOf('u-abc123', 'test')).to.equal(2);
    for (const { token } of mine) {
      expect((await rejection(f.sessions.verify(token))).reason).to.equal('token_revoked');
    }
    await f.sessions.verify(other.token);
  });
});
