import { createPublicKey } from 'node:crypto';
import { expect } from 'chai';
import { generateKeyPair, SignJWT } from 'jose';
import { SESSION_TOKEN_TYPE, SessionTokenCodec } from '../../../src/identity/session-tokens.js';
import { SigningKeyRing } from '../../../src/identity/signing-key-ring.js';
import { MemoryStore } from '../../support/memory-store.js';
import {
  rejection,
  type SessionFixture,
  sessionFixture,
  settle,
  testBox,
  testRuntime,
} from './fixtures.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('SessionTokenCodec', () => {
  let f: SessionFixture;
  beforeEach(async () => {
    f = await sessionFixture();
  });

  async function craft(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
    omit: string[] = [],
  ): Promise<string> {
    const { kid, privateKey } = await f.ring.signingKey();
    const now = Math.floor(f.clock.ms / 1000);
    const payload: Record<string, unknown> = {
      iss: 'https://paddock.test',
      aud: 'paddock',
      sub: 'u-abc123',
      jti: 'AAAAAAAAAAAAAAAAAAAAAA',
      iat: now,
      nbf: now,
      exp: now + 600,
      pvd: 'local',
      ...claims,
    };
    for (const name of omit) delete payload[name];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid, typ: SESSION_TOKEN_TYPE, ...header } as never)
      .sign(privateKey);
  }

  it('verifies a token it issued and returns its claims', async () => {
    const { token, claims } = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    expect(await f.codec.verify(token)).to.deep.equal(claims);
    expect(claims.expiresAt - claims.issuedAt).to.equal(3600_000);
  });

  it('puts kid and the session typ in the header and signs with ES256', async () => {
    const { token } = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).to.include({ alg: 'ES256', typ: SESSION_TOKEN_TYPE });
    expect(header.kid).to.match(/^k-/);
  });

  it('refuses an expired token but accepts one within the clock tolerance', async () => {
    const { token } = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    f.clock.advance(3600 + 20);
    await f.codec.verify(token);
    f.clock.advance(20);
    expect((await rejection(f.codec.verify(token))).reason).to.equal('token_expired');
  });

  it('refuses a token that is not yet valid beyond the tolerance', async () => {
    const token = await craft({ nbf: Math.floor(f.clock.ms / 1000) + 120 });
    const err = await rejection(f.codec.verify(token));
    expect([err.code, err.reason]).to.deep.equal(['UNAUTHENTICATED', 'token_not_yet_valid']);
  });

  it('refuses a token for another audience or from another issuer', async () => {
    expect((await rejection(f.codec.verify(await craft({ aud: 'kubernetes' })))).reason).to.equal(
      'wrong_audience',
    );
    expect(
      (await rejection(f.codec.verify(await craft({ iss: 'https://evil.test' })))).reason,
    ).to.equal('wrong_issuer');
  });

  it('refuses a token without jti, exp or nbf', async () => {
    for (const claim of ['jti', 'exp', 'nbf']) {
      const err = await rejection(f.codec.verify(await craft({}, {}, [claim])));
      expect(err.code, claim).to.equal('UNAUTHENTICATED');
    }
  });

  it('refuses a token of another type signed with the right key', async () => {
    expect((await rejection(f.codec.verify(await craft({}, { typ: 'JWT' })))).reason).to.equal(
      'wrong_token_type',
    );
  });

  it('refuses alg none', async () => {
    const { kid } = await f.ring.signingKey();
    const now = Math.floor(f.clock.ms / 1000);
    const token = `${b64({ alg: 'none', kid, typ: SESSION_TOKEN_TYPE })}.${b64({ iss: 'https://paddock.test', aud: 'paddock', sub: 'u-abc123', jti: 'AAAAAAAAAAAAAAAAAAAAAA', iat: now, nbf: now, exp: now + 60, pvd: 'local' })}.`;
    const err = await rejection(f.codec.verify(token));
    expect(err.code).to.equal('UNAUTHENTICATED');
    expect(err.reason).to.be.oneOf(['alg_not_allowed', 'malformed_token']);
    const withSig = `${token}AAAA`;
    expect((await rejection(f.codec.verify(withSig))).reason).to.equal('alg_not_allowed');
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const { kid } = await f.ring.signingKey();
    const jwk = f.ring.publicJwks().keys.find((k) => k.kid === kid)!;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const now = Math.floor(f.clock.ms / 1000);
    const token = await new SignJWT({ pvd: 'local' })
      .setProtectedHeader({ alg: 'HS256', kid, typ: SESSION_TOKEN_TYPE })
      .setIssuer('https://paddock.test')
      .setAudience('paddock')
      .setSubject('u-abc123')
      .setJti('AAAAAAAAAAAAAAAAAAAAAA')
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 60)
      .sign(Buffer.from(pem));
    expect((await rejection(f.codec.verify(token))).reason).to.equal('alg_not_allowed');
  });

  it('refuses a token signed by a key it never made (unknown kid) and a forged signature', async () => {
    const otherStore = new MemoryStore({ now: f.clock.now });
    const other = new SigningKeyRing(otherStore, testBox, {
      retainSeconds: 60,
      runtime: testRuntime(f.clock),
    });
    await other.start();
    const otherCodec = new SessionTokenCodec(other, {
      issuer: 'https://paddock.test',
      audience: 'paddock',
      ttlSeconds: 60,
      runtime: testRuntime(f.clock),
    });
    const { token } = await otherCodec.issue({ userId: 'u-abc123', provider: 'local' });
    expect((await rejection(f.codec.verify(token))).reason).to.equal('unknown_kid');

    const { kid } = await f.ring.signingKey();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ pvd: 'local' })
      .setProtectedHeader({ alg: 'ES256', kid, typ: SESSION_TOKEN_TYPE })
      .setIssuer('https://paddock.test')
      .setAudience('paddock')
      .setSubject('u-abc123')
      .setJti('AAAAAAAAAAAAAAAAAAAAAA')
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await rejection(f.codec.verify(forged))).reason).to.equal('bad_signature');
  });

  it('answers malformed, truncated, tampered and oversized tokens with a reason, never a crash', async () => {
    const { token } = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const tamperedPayload = b64({
      ...JSON.parse(Buffer.from(p, 'base64url').toString()),
      sub: 'u-admin1',
    });
    const cases: Record<string, string> = {
      empty: '',
      garbage: 'not a token',
      twoParts: `${h}.${p}`,
      truncated: token.slice(0, token.length - 10),
      truncatedHeader: `${h.slice(0, 5)}.${p}.${s}`,
      headerNotJson: `${Buffer.from('{{{').toString('base64url')}.${p}.${s}`,
      tampered: `${h}.${tamperedPayload}.${s}`,
      oversized: `${h}.${'A'.repeat(9000)}.${s}`,
      unicode: `${h}.ü.${s}`,
    };
    const reasons: Record<string, string | undefined> = {};
    for (const [name, bad] of Object.entries(cases)) {
      const err = await rejection(f.codec.verify(bad));
      expect(err.code, name).to.equal('UNAUTHENTICATED');
      reasons[name] = err.reason;
    }
    expect(reasons.oversized).to.equal('token_too_large');
    expect(reasons.tampered).to.equal('bad_signature');
    expect(reasons.truncated).to.equal('bad_signature');
    expect(reasons.garbage).to.equal('malformed_token');
  });

  it('keeps accepting tokens of the previous key after a rotation', async () => {
    const before = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    const oldKid = (await f.ring.signingKey()).kid;
    const newKid = await f.ring.rotate();
    expect(newKid).not.to.equal(oldKid);
    expect((await f.ring.signingKey()).kid).to.equal(newKid);
    await f.codec.verify(before.token);
    const after = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    expect(
      JSON.parse(Buffer.from(after.token.split('.')[0]!, 'base64url').toString()).kid,
    ).to.equal(newKid);
  });

  it('stops accepting a retired key once its retention ends', async () => {
    const before = await f.codec.issue({ userId: 'u-abc123', provider: 'local', ttlSeconds: 60 });
    await f.ring.rotate();
    f.clock.advance(86_400 + 1);
    const err = await rejection(f.codec.verify(before.token));
    expect(err.code).to.equal('UNAUTHENTICATED');
  });

  it('rotates by itself when the signing key is older than the rotation age, once per burst', async () => {
    const kid = (await f.ring.signingKey()).kid;
    f.clock.advance(31 * 24 * 3600);
    const kids = new Set(
      (await Promise.all([1, 2, 3].map(() => f.ring.signingKey()))).map((k) => k.kid),
    );
    expect(kids.size).to.equal(1);
    expect(kids.has(kid)).to.equal(false);
    expect(f.ring.publicJwks().keys).to.have.length(2);
  });

  it('verifies on another replica a token signed with a key that replica has not loaded yet', async () => {
    const replica = new SigningKeyRing(f.store, testBox, {
      retainSeconds: 86_400,
      runtime: testRuntime(f.clock),
    });
    await replica.start();
    replica.close(); // no change feed: the replica must find the new key on demand
    f.clock.advance(2);
    await f.ring.rotate();
    const { token } = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    const replicaCodec = new SessionTokenCodec(replica, {
      issuer: 'https://paddock.test',
      audience: 'paddock',
      ttlSeconds: 3600,
      runtime: testRuntime(f.clock),
    });
    expect((await replicaCodec.verify(token)).userId).to.equal('u-abc123');
  });

  it('signs with the newest key on every replica once the change feed delivers it', async () => {
    const replica = new SigningKeyRing(f.store, testBox, {
      retainSeconds: 86_400,
      runtime: testRuntime(f.clock),
    });
    await replica.start();
    f.clock.advance(1);
    const newKid = await f.ring.rotate();
    await settle();
    await settle();
    expect((await replica.signingKey()).kid).to.equal(newKid);
    replica.close();
  });

  it('stores the private key only encrypted', async () => {
    const records = await f.store
      .collection<{ privateJwkSealed: string }>({ name: 'signing-keys' })
      .list();
    expect(records).to.have.length(1);
    expect(records[0]!.value.privateJwkSealed.startsWith('v1.')).to.equal(true);
    expect(JSON.stringify(records[0]!.value)).not.to.match(/"d":/);
  });

  it('refuses a clock tolerance above five minutes', () => {
    expect(
      () =>
        new SessionTokenCodec(f.ring, {
          issuer: 'i',
          audience: 'a',
          ttlSeconds: 60,
          clockToleranceSeconds: 301,
        }),
    ).to.throw('tolerance');
  });
});
