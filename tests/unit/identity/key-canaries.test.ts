import { expect } from 'chai';
import { hasErrorCode } from '../../../src/errors/index.js';
import {
  AesGcmSecretBox,
  KeyCanaries,
  resealWith,
  signingKeysCollection,
} from '../../../src/identity/index.js';
import { MemoryStore } from '../../support/memory-store.js';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const pepper = Buffer.alloc(32, 7);

function canaries(
  store: MemoryStore,
  key: Buffer,
  options: { previous?: Buffer[]; pepper?: Buffer } = {},
) {
  return new KeyCanaries(store, {
    secretBox: new AesGcmSecretBox(key, { previousKeys: options.previous ?? [] }),
    apiKeyPepper: options.pepper ?? pepper,
  });
}

async function failure(check: Promise<void>): Promise<string> {
  try {
    await check;
  } catch (err) {
    if (hasErrorCode(err, 'CONFIG_INVALID')) return err.message;
    throw err;
  }
  throw new Error('the check passed');
}

describe('KeyCanaries', () => {
  it('lets the replica that wrote the canaries and any with the same keys pass', async () => {
    const store = new MemoryStore();
    await canaries(store, keyA).ensure();
    const other = canaries(store, keyA);
    await other.ensure();
    await other.checkEncryptionKey();
    await other.checkApiKeyPepper();
  });

  it('refuses a replica with another encryption key, naming the setting', async () => {
    const store = new MemoryStore();
    await canaries(store, keyA).ensure();
    const wrong = canaries(store, keyB);
    await wrong.ensure();
    expect(await failure(wrong.checkEncryptionKey())).to.contain('PADDOCK_ENCRYPTION_KEY');
    await wrong.checkApiKeyPepper();
  });

  it('refuses a replica with another pepper, naming the setting', async () => {
    const store = new MemoryStore();
    await canaries(store, keyA).ensure();
    const wrong = canaries(store, keyA, { pepper: Buffer.alloc(32, 8) });
    expect(await failure(wrong.checkApiKeyPepper())).to.contain('PADDOCK_API_KEY_PEPPER');
  });

  it('writes no encryption canary for a key that cannot open the signing keys already stored', async () => {
    const store = new MemoryStore();
    const sealed = new AesGcmSecretBox(keyA).seal('{}', 'signing-key:k1');
    await store
      .collection(signingKeysCollection)
      .create('k1', { kid: 'k1', privateJwkSealed: sealed } as never);
    const wrong = canaries(store, keyB);
    await wrong.ensure();
    expect(await failure(wrong.checkEncryptionKey())).to.contain('signing keys');
    // The right replica, starting later, still writes it and passes.
    const right = canaries(store, keyA);
    await right.ensure();
    await right.checkEncryptionKey();
    expect(await failure(wrong.checkEncryptionKey())).to.contain('PADDOCK_ENCRYPTION_KEY');
  });

  it('follows a key rotation: after re-sealing, a replica with only the old key is refused', async () => {
    const store = new MemoryStore();
    await canaries(store, keyA).ensure();
    const rotating = canaries(store, keyB, { previous: [keyA] });
    await rotating.checkEncryptionKey();
    const box = new AesGcmSecretBox(keyB, { previousKeys: [keyA] });
    expect(await rotating.reseal(resealWith(box))).to.equal(1);
    await canaries(store, keyB).checkEncryptionKey();
    expect(await failure(canaries(store, keyA).checkEncryptionKey())).to.contain(
      'PADDOCK_ENCRYPTION_KEY',
    );
  });
});
