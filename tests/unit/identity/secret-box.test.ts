import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { PaddockError } from '../../../src/errors/index.js';
import { AuthConfigStore } from '../../../src/identity/auth-configs.js';
import { resealCollection, resealIdentitySecrets } from '../../../src/identity/reseal.js';
import { AesGcmSecretBox, parseEncryptionKey } from '../../../src/identity/secret-box.js';
import { loadOrCreateKeyFile } from '../../../src/identity/secret-key-file.js';
import { SessionTokenCodec } from '../../../src/identity/session-tokens.js';
import { SigningKeyRing } from '../../../src/identity/signing-key-ring.js';
import { MemoryStore } from '../../support/memory-store.js';
import { sessionFixture } from './fixtures.js';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);

function thrown(fn: () => unknown): PaddockError {
  try {
    fn();
  } catch (err) {
    return err as PaddockError;
  }
  throw new Error('expected a throw');
}

describe('AesGcmSecretBox', () => {
  it('opens what it sealed and never shows the plaintext in the sealed form', () => {
    const box = new AesGcmSecretBox(keyA);
    const sealed = box.seal('bind-password-123');
    expect(sealed).not.to.contain('bind-password');
    expect(sealed.startsWith(`v1.${box.keyId}.`)).to.equal(true);
    expect(box.open(sealed)).to.equal('bind-password-123');
  });

  it('uses a fresh nonce for every seal', () => {
    const box = new AesGcmSecretBox(keyA);
    expect(box.seal('x')).not.to.equal(box.seal('x'));
  });

  it('refuses a value whose ciphertext was tampered with', () => {
    const box = new AesGcmSecretBox(keyA);
    const parts = box.seal('secret').split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(thrown(() => box.open(parts.join('.'))).reason).to.equal('secret_unreadable');
  });

  it('refuses a value moved to another place (associated data differs)', () => {
    const box = new AesGcmSecretBox(keyA);
    const sealed = box.seal('secret', 'auth-config:openldap');
    expect(box.open(sealed, 'auth-config:openldap')).to.equal('secret');
    expect(thrown(() => box.open(sealed, 'auth-config:activedirectory')).code).to.equal('INTERNAL');
  });

  it('refuses a value sealed under a key it does not hold', () => {
    const sealed = new AesGcmSecretBox(keyA).seal('secret');
    expect(thrown(() => new AesGcmSecretBox(keyB).open(sealed)).reason).to.equal(
      'secret_unreadable',
    );
  });

  it('refuses malformed sealed values without crashing', () => {
    const box = new AesGcmSecretBox(keyA);
    for (const bad of ['', 'v1', 'v2.a.b.c.d', `v1.${box.keyId}.AAAA.AAAA.AAAA`, 'v1.x.y.z']) {
      expect(thrown(() => box.open(bad)).code).to.equal('INTERNAL');
    }
  });

  it('opens values of the previous key after a rotation and re-seals them under the new one', () => {
    const oldBox = new AesGcmSecretBox(keyA);
    const sealed = oldBox.seal('secret', 'ctx');
    const rotated = new AesGcmSecretBox(keyB, { previousKeys: [keyA] });
    expect(rotated.needsReseal(sealed)).to.equal(true);
    const resealed = rotated.reseal(sealed, 'ctx');
    expect(rotated.needsReseal(resealed)).to.equal(false);
    expect(new AesGcmSecretBox(keyB).open(resealed, 'ctx')).to.equal('secret');
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(thrown(() => new AesGcmSecretBox(Buffer.alloc(16))).code).to.equal('CONFIG_INVALID');
  });
});

describe('parseEncryptionKey', () => {
  it('accepts 64 hex digits, base64 and base64url', () => {
    const key = Buffer.from([...Array(32).keys()].map((i) => i * 7 + 250));
    expect(parseEncryptionKey(key.toString('hex')).equals(key)).to.equal(true);
    expect(parseEncryptionKey(key.toString('base64')).equals(key)).to.equal(true);
    expect(parseEncryptionKey(`${key.toString('base64url')}\n`).equals(key)).to.equal(true);
  });

  it('names the problem for a short or garbled key', () => {
    expect(thrown(() => parseEncryptionKey('abc')).code).to.equal('CONFIG_INVALID');
    expect(thrown(() => parseEncryptionKey('z'.repeat(64))).code).to.equal('CONFIG_INVALID');
  });
});

describe('loadOrCreateKeyFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paddock-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a key readable only by its owner and returns the same key later', async () => {
    const path = join(dir, 'data', 'encryption.key');
    const first = await loadOrCreateKeyFile(path);
    expect(first.length).to.equal(32);
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
    expect((await loadOrCreateKeyFile(path)).equals(first)).to.equal(true);
  });

  it('refuses a key file that others may read', async () => {
    const path = join(dir, 'encryption.key');
    await writeFile(path, Buffer.alloc(32, 3).toString('base64'), { mode: 0o644 });
    try {
      await loadOrCreateKeyFile(path);
      expect.fail('should refuse');
    } catch (err) {
      expect((err as PaddockError).reason).to.equal('key_file_permissions');
    }
  });
});

describe('resealCollection', () => {
  it('rewrites every sealed field under the new key and leaves other records alone', async () => {
    const store = new MemoryStore();
    const configs = store.collection<{ name: string; secret?: string }>({ name: 'auth-configs' });
    const oldBox = new AesGcmSecretBox(keyA);
    await configs.create('ldap', { name: 'ldap', secret: oldBox.seal('pw', 'ldap') });
    await configs.create('local', { name: 'local' });
    const box = new AesGcmSecretBox(keyB, { previousKeys: [keyA] });
    const count = await resealCollection(
      configs,
      (sealed, aad) => box.reseal(sealed, aad),
      (value, reseal) =>
        value.secret === undefined
          ? undefined
          : { ...value, secret: reseal(value.secret, value.name) },
    );
    expect(count).to.equal(1);
    const stored = (await configs.get('ldap'))!.value.secret!;
    expect(new AesGcmSecretBox(keyB).open(stored, 'ldap')).to.equal('pw');
    expect(
      await resealCollection(
        configs,
        (s, a) => box.reseal(s, a),
        (v, r) => (v.secret ? { ...v, secret: r(v.secret, v.name) } : undefined),
      ),
    ).to.equal(0);
  });
});

describe('resealIdentitySecrets', () => {
  it('moves signing keys and provider secrets to the new key; sessions keep working', async () => {
    const f = await sessionFixture();
    await new AuthConfigStore(f.store, new AesGcmSecretBox(Buffer.alloc(32, 7))).put({
      provider: 'github',
      settings: { clientId: 'x', clientSecret: 'gh' },
    });
    const { token } = await f.codec.issue({ userId: 'u-abc123', provider: 'local' });
    const rotating = new AesGcmSecretBox(keyB, { previousKeys: [Buffer.alloc(32, 7)] });
    expect(await resealIdentitySecrets(f.store, rotating, f.clock.now)).to.equal(2);
    expect(await resealIdentitySecrets(f.store, rotating, f.clock.now)).to.equal(0);
    const onlyNew = new AesGcmSecretBox(keyB);
    const ring = new SigningKeyRing(f.store, onlyNew, {
      retainSeconds: 60,
      runtime: { now: f.clock.now, randomBytes: (n) => Buffer.alloc(n, 1) },
    });
    await ring.start();
    const codec = new SessionTokenCodec(ring, {
      issuer: 'https://paddock.test',
      audience: 'paddock',
      ttlSeconds: 3600,
      runtime: { now: f.clock.now, randomBytes: (n) => Buffer.alloc(n, 3) },
    });
    await codec.verify(token);
    await codec.issue({ userId: 'u-abc123', provider: 'local' });
    const configs = new AuthConfigStore(f.store, onlyNew);
    expect(
      configs.openSettings((await configs.collection.get('github'))!.value).clientSecret,
    ).to.equal('gh');
  });
});
