import { expect } from 'chai';
import { ApiKeyService, parseApiKeyToken } from '../../../src/identity/api-keys.js';
import { MemoryStore } from '../../support/memory-store.js';
import { rejection, TestClock, testRuntime } from './fixtures.js';

const pepper = Buffer.alloc(32, 9);

describe('ApiKeyService', () => {
  let clock: TestClock;
  let store: MemoryStore;
  let keys: ApiKeyService;
  beforeEach(() => {
    clock = new TestClock();
    store = new MemoryStore({ now: clock.now });
    keys = new ApiKeyService(store, { pepper, runtime: testRuntime(clock) });
  });

  it('makes pdk_<keyId>_<secret> tokens with a 32-byte base64url secret', async () => {
    const { token, key } = await keys.create({ userId: 'u-abc', description: 'ci' });
    const parsed = parseApiKeyToken(token)!;
    expect(parsed.keyId).to.equal(key.keyId);
    expect(Buffer.from(parsed.secret, 'base64url')).to.have.length(32);
    expect(key).to.include({ userId: 'u-abc', kind: 'api-key', description: 'ci', enabled: true });
  });

  it('stores only an HMAC of the secret, never the secret itself', async () => {
    const { token, key } = await keys.create({ userId: 'u-abc' });
    const secret = parseApiKeyToken(token)!.secret;
    const stored = (await keys.collection.get(key.keyId))!.value;
    expect(JSON.stringify(stored)).not.to.contain(secret);
    expect(stored.secretHash).to.match(/^[0-9a-f]{64}$/);
  });

  it('accepts the right secret and refuses a wrong one or an unknown key the same way', async () => {
    const { token } = await keys.create({ userId: 'u-abc' });
    const cred = parseApiKeyToken(token)!;
    expect((await keys.verify(cred)).userId).to.equal('u-abc');
    const wrongSecret = `${cred.secret.slice(0, -1)}${cred.secret.endsWith('A') ? 'B' : 'A'}`;
    const wrong = await rejection(keys.verify({ keyId: cred.keyId, secret: wrongSecret }));
    const unknown = await rejection(keys.verify({ keyId: 'a'.repeat(16), secret: cred.secret }));
    expect([wrong.code, wrong.reason]).to.deep.equal(['UNAUTHENTICATED', 'invalid_api_key']);
    expect([unknown.message, unknown.reason]).to.deep.equal([wrong.message, wrong.reason]);
  });

  it('refuses a key checked with another pepper', async () => {
    const { token } = await keys.create({ userId: 'u-abc' });
    const other = new ApiKeyService(store, {
      pepper: Buffer.alloc(32, 1),
      runtime: testRuntime(clock),
    });
    expect((await rejection(other.verify(parseApiKeyToken(token)!))).reason).to.equal(
      'invalid_api_key',
    );
  });

  it('refuses an expired key and a disabled one', async () => {
    const expiring = await keys.create({ userId: 'u-abc', expiresAt: clock.ms + 60_000 });
    const disabled = await keys.create({ userId: 'u-abc' });
    await keys.setEnabled(disabled.key.keyId, false);
    expect((await rejection(keys.verify(parseApiKeyToken(disabled.token)!))).reason).to.equal(
      'api_key_disabled',
    );
    await keys.verify(parseApiKeyToken(expiring.token)!);
    clock.advance(61);
    expect((await rejection(keys.verify(parseApiKeyToken(expiring.token)!))).reason).to.equal(
      'api_key_expired',
    );
    await keys.setEnabled(disabled.key.keyId, true);
    await keys.verify(parseApiKeyToken(disabled.token)!);
  });

  it('refuses an expiry in the past at creation', async () => {
    expect((await rejection(keys.create({ userId: 'u-abc', expiresAt: clock.ms }))).code).to.equal(
      'VALIDATION_FAILED',
    );
  });

  it('writes the last-used time at most once a minute per key', async () => {
    const { token, key } = await keys.create({ userId: 'u-abc' });
    const cred = parseApiKeyToken(token)!;
    const before = store.writes;
    for (let i = 0; i < 12; i++) {
      const record = await keys.verify(cred);
      await keys.markUsed(record);
      clock.advance(10);
    }
    expect(store.writes - before).to.equal(2);
    expect((await keys.get(key.keyId))!.lastUsedAt).to.equal(clock.ms - 60_000);
  });

  it('lists a user’s keys with kind and scope, and revokes only the owner’s key', async () => {
    const a = await keys.create({ userId: 'u-abc', kind: 'kubeconfig', clusterId: 'c-1' });
    clock.advance(1);
    await keys.create({ userId: 'u-abc', description: 'second' });
    await keys.create({ userId: 'u-other' });
    const listed = await keys.list('u-abc');
    expect(listed.map((k) => k.kind)).to.deep.equal(['kubeconfig', 'api-key']);
    expect(listed[0]!.scope).to.deep.equal({ clusterId: 'c-1' });
    expect(await keys.list('u-abc', 'kubeconfig')).to.have.length(1);
    expect(await keys.revoke(a.key.keyId, 'u-other')).to.equal(false);
    expect(await keys.revoke(a.key.keyId, 'u-abc')).to.equal(true);
    expect((await rejection(keys.verify(parseApiKeyToken(a.token)!))).reason).to.equal(
      'invalid_api_key',
    );
    expect(await keys.revokeAllOf('u-abc')).to.equal(1);
  });

  it('does not parse lookalike tokens', () => {
    expect(parseApiKeyToken('pdk_short_secret')).to.equal(undefined);
    expect(parseApiKeyToken(`pdk_${'a'.repeat(16)}_${'b'.repeat(42)}`)).to.equal(undefined);
    expect(parseApiKeyToken(`xyz_${'a'.repeat(16)}_${'b'.repeat(43)}`)).to.equal(undefined);
    expect(parseApiKeyToken(`pdk_${'a'.repeat(16)}_${'_'.repeat(43)}`)).to.deep.equal({
      keyId: 'a'.repeat(16),
      secret: '_'.repeat(43),
    });
  });
});
