import { expect } from 'chai';
import type { CredentialRevokedEvent } from '../../../src/domain/credential-events.js';
import { ApiKeyService, parseApiKeyToken } from '../../../src/identity/api-keys.js';
import { TokenAuthenticator } from '../../../src/identity/authenticator.js';
import { StoreCredentialEvents } from '../../../src/identity/store-credential-events.js';
import { UserRepository } from '../../../src/identity/user-repository.js';
import { waitFor } from '../../support/wait-for.js';
import { rejection, sessionFixture, testRuntime } from './fixtures.js';

const DAY_MS = 24 * 3600 * 1000;

describe('keys minted with another key (derived keys)', () => {
  async function setup() {
    const f = await sessionFixture();
    const runtime = testRuntime(f.clock);
    const keys = new ApiKeyService(f.store, { pepper: Buffer.alloc(32, 9), runtime });
    const users = new UserRepository(f.store, runtime);
    const user = await users.create({ username: 'alice', provider: 'local' });
    const auth = new TokenAuthenticator(
      { store: f.store, users, sessions: f.sessions, apiKeys: keys },
      { runtime },
    );
    auth.start();
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    return { f, keys, users, user, auth, bearer };
  }

  it('expire no later than the key they were minted with', async () => {
    const { f, keys, user } = await setup();
    const parent = await keys.create({ userId: user.id, expiresAt: f.clock.ms + DAY_MS });
    const child = await keys.create({
      userId: user.id,
      kind: 'kubeconfig',
      expiresAt: f.clock.ms + 30 * DAY_MS,
      parentKeyId: parent.key.keyId,
    });
    expect(child.key.expiresAt).to.equal(parent.key.expiresAt);
    expect(child.key.parentKeyId).to.equal(parent.key.keyId);
    const unbounded = await keys.create({ userId: user.id, parentKeyId: parent.key.keyId });
    expect(unbounded.key.expiresAt).to.equal(parent.key.expiresAt);
    const shorter = await keys.create({
      userId: user.id,
      expiresAt: f.clock.ms + 1000,
      parentKeyId: parent.key.keyId,
    });
    expect(shorter.key.expiresAt).to.equal(f.clock.ms + 1000);
  });

  it('are deleted with the key they were minted with, down the whole line', async () => {
    const { keys, user, auth, bearer } = await setup();
    const parent = await keys.create({ userId: user.id });
    const child = await keys.create({ userId: user.id, parentKeyId: parent.key.keyId });
    const grandchild = await keys.create({
      userId: user.id,
      kind: 'kubeconfig',
      parentKeyId: child.key.keyId,
    });
    const sibling = await keys.create({ userId: user.id });
    await auth.authenticate(bearer(grandchild.token));
    expect(await keys.revoke(parent.key.keyId, user.id)).to.equal(true);
    for (const gone of [child, grandchild]) {
      expect(await keys.get(gone.key.keyId)).to.equal(undefined);
      await waitFor('the change feed to evict the cached identity', () =>
        auth.authenticate(bearer(gone.token)).then(
          () => undefined,
          (err: { code?: string }) => (err.code === 'UNAUTHENTICATED' ? true : undefined),
        ),
      );
    }
    expect((await auth.authenticate(bearer(sibling.token))).tokenId).to.equal(sibling.key.keyId);
    auth.close();
  });

  it('are revoked, not merely disabled, when their parent is disabled', async () => {
    const { keys, user } = await setup();
    const parent = await keys.create({ userId: user.id });
    const child = await keys.create({ userId: user.id, parentKeyId: parent.key.keyId });
    await keys.setEnabled(parent.key.keyId, false);
    expect(await keys.get(child.key.keyId)).to.equal(undefined);
    await keys.setEnabled(parent.key.keyId, true);
    const err = await rejection(keys.verify(parseApiKeyToken(child.token)!));
    expect(err.reason).to.equal('invalid_api_key');
  });

  it('stop verifying when the parent vanished without the cascade, and leave the cache', async () => {
    const { keys, user, auth, bearer } = await setup();
    const parent = await keys.create({ userId: user.id });
    const child = await keys.create({ userId: user.id, parentKeyId: parent.key.keyId });
    expect((await auth.authenticate(bearer(child.token))).tokenId).to.equal(child.key.keyId);
    // As if a replica crashed between deleting the parent and deleting its children.
    await keys.collection.delete(parent.key.keyId);
    await waitFor('the cached child to be evicted', async () => {
      const err = await auth.authenticate(bearer(child.token)).then(
        () => undefined,
        (e: { reason?: string }) => e,
      );
      return err?.reason === 'parent_key_revoked' ? true : undefined;
    });
    auth.close();
  });

  it('announce every revoked child to open streams', async () => {
    const { f, keys, user } = await setup();
    const events: CredentialRevokedEvent[] = [];
    const stop = new StoreCredentialEvents(f.store).onRevoked((e) => events.push(e));
    const parent = await keys.create({ userId: user.id });
    const a = await keys.create({
      userId: user.id,
      kind: 'kubeconfig',
      parentKeyId: parent.key.keyId,
    });
    const b = await keys.create({ userId: user.id, parentKeyId: parent.key.keyId });
    await keys.revoke(parent.key.keyId);
    const wanted = [parent, a, b].map((k) => k.key.keyId).sort();
    await waitFor('three token events', () => (events.length >= 3 ? true : undefined));
    expect(events.map((e) => (e.kind === 'token' ? e.tokenId : '')).sort()).to.deep.equal(wanted);
    stop();
  });

  it('cannot be minted from a key that does not work, belongs to another user or is narrower', async () => {
    const { f, keys, user, users } = await setup();
    const bob = await users.create({ username: 'bob', provider: 'local' });
    const disabled = await keys.create({ userId: user.id });
    await keys.setEnabled(disabled.key.keyId, false);
    const expiring = await keys.create({ userId: user.id, expiresAt: f.clock.ms + 1000 });
    const bobs = await keys.create({ userId: bob.id });
    const scoped = await keys.create({ userId: user.id, clusterId: 'c-1' });
    f.clock.advance(2);
    for (const parentKeyId of [disabled.key.keyId, expiring.key.keyId, bobs.key.keyId, 'nokey']) {
      const err = await rejection(keys.create({ userId: user.id, parentKeyId }));
      expect([err.code, err.reason], parentKeyId).to.deep.equal([
        'UNAUTHENTICATED',
        'parent_key_revoked',
      ]);
    }
    const wider = await rejection(keys.create({ userId: user.id, parentKeyId: scoped.key.keyId }));
    expect([wider.code, wider.reason]).to.deep.equal(['FORBIDDEN', 'scope_escalation']);
    const same = await keys.create({
      userId: user.id,
      clusterId: 'c-1',
      parentKeyId: scoped.key.keyId,
    });
    expect(same.key.scope).to.deep.equal({ clusterId: 'c-1' });
  });

  it('refuses a line of derivations deeper than eight keys', async () => {
    const { keys, user } = await setup();
    let parent = await keys.create({ userId: user.id });
    for (let depth = 1; depth < 8; depth++) {
      parent = await keys.create({ userId: user.id, parentKeyId: parent.key.keyId });
    }
    const err = await rejection(keys.create({ userId: user.id, parentKeyId: parent.key.keyId }));
    expect([err.code, err.reason]).to.deep.equal(['FORBIDDEN', 'lineage_too_deep']);
  });
});

describe('replacing kubeconfig tokens', () => {
  async function setup() {
    const f = await sessionFixture();
    const keys = new ApiKeyService(f.store, {
      pepper: Buffer.alloc(32, 9),
      runtime: testRuntime(f.clock),
    });
    const mint = (clusterSet: string, parentKeyId?: string) =>
      keys.create({
        userId: 'u-alice',
        kind: 'kubeconfig',
        clusterSet,
        replacePrevious: true,
        ...(parentKeyId === undefined ? {} : { parentKeyId }),
      });
    return { f, keys, mint };
  }

  it('leaves one live token after ten downloads for the same clusters', async () => {
    const { f, keys, mint } = await setup();
    let last = await mint('*');
    for (let i = 1; i < 10; i++) {
      f.clock.advance(1);
      last = await mint('*');
    }
    const live = await keys.list('u-alice', 'kubeconfig');
    expect(live.map((k) => k.keyId)).to.deep.equal([last.key.keyId]);
    await keys.verify(parseApiKeyToken(last.token)!);
  });

  it('keeps tokens for other cluster sets, other parents and plain API keys', async () => {
    const { f, keys, mint } = await setup();
    const parent = await keys.create({ userId: 'u-alice' });
    await mint('*');
    await mint('one');
    await mint('*', parent.key.keyId);
    f.clock.advance(1);
    await mint('*');
    const live = await keys.list('u-alice');
    expect(live.map((k) => `${k.kind}:${k.parentKeyId ?? '-'}`).sort()).to.deep.equal(
      ['api-key:-', 'kubeconfig:-', 'kubeconfig:-', `kubeconfig:${parent.key.keyId}`].sort(),
    );
  });

  it('lets the newer of two concurrent downloads survive', async () => {
    const { keys, mint } = await setup();
    const [a, b] = await Promise.all([mint('*'), mint('*')]);
    const live = await keys.list('u-alice', 'kubeconfig');
    expect(live).to.have.length(1);
    const newer = a.key.keyId > b.key.keyId ? a : b;
    expect(live[0]?.keyId).to.equal(newer.key.keyId);
  });
});
