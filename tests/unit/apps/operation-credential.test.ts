import { expect } from 'chai';
import { OperationCredentials } from '../../../src/apps/helm/operation-credential.js';
import type { ApiKeyManager, NewApiKeyRequest } from '../../../src/domain/api-key-manager.js';
import type {
  CredentialEvents,
  CredentialRevokedEvent,
} from '../../../src/domain/credential-events.js';
import { createTestLogger } from '../datasources/support/test-logger.js';

function fakes() {
  const created: NewApiKeyRequest[] = [];
  const revoked: string[] = [];
  const listeners: ((e: CredentialRevokedEvent) => void)[] = [];
  const apiKeys: ApiKeyManager = {
    async create(input) {
      created.push(input);
      const keyId = `key${created.length}`;
      return {
        token: `pdk_${keyId}_secret`,
        key: {
          keyId,
          userId: input.userId,
          kind: 'kubeconfig',
          description: '',
          enabled: true,
          createdAt: 0,
        },
      };
    },
    list: async () => [],
    async revoke(keyId) {
      revoked.push(keyId);
      return true;
    },
  };
  const events: CredentialEvents = {
    onRevoked(listener) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
  };
  return { created, revoked, listeners, apiKeys, events };
}

describe('operation credentials', () => {
  const now = () => 1_000_000;

  it('scopes the credential to the cluster and never lets it outlive its parent', async () => {
    const f = fakes();
    const creds = new OperationCredentials({
      apiKeys: f.apiKeys,
      events: f.events,
      logger: createTestLogger(),
      now,
    });
    const c = await creds.mint({
      userId: 'u-a',
      clusterId: 'one',
      purpose: 'helm install',
      ttlMs: 300_000,
      parentExpiresAt: 1_060_000,
    });
    expect(f.created[0]).to.deep.include({
      userId: 'u-a',
      clusterId: 'one',
      kind: 'kubeconfig',
      expiresAt: 1_060_000,
    });
    expect(c.expiresAt).to.equal(1_060_000);
    await c.release();
    await c.release();
    expect(f.revoked).to.deep.equal(['key1']);
  });

  it('refuses to derive from a credential about to expire', async () => {
    const f = fakes();
    const creds = new OperationCredentials({ apiKeys: f.apiKeys, logger: createTestLogger(), now });
    let caught: unknown;
    await creds
      .mint({
        userId: 'u-a',
        clusterId: 'one',
        purpose: 'x',
        ttlMs: 300_000,
        parentExpiresAt: 1_005_000,
      })
      .catch((err: unknown) => {
        caught = err;
      });
    expect(caught).to.have.property('code', 'UNAUTHENTICATED');
    expect(f.created).to.deep.equal([]);
  });

  it('revokes at once and aborts when the parent token or the user is revoked', async () => {
    const f = fakes();
    const creds = new OperationCredentials({
      apiKeys: f.apiKeys,
      events: f.events,
      logger: createTestLogger(),
      now,
    });
    const c = await creds.mint({
      userId: 'u-a',
      clusterId: 'one',
      purpose: 'x',
      ttlMs: 60_000,
      parentTokenId: 'parent',
    });
    for (const l of [...f.listeners]) l({ kind: 'token', tokenId: 'someone-else' });
    expect(c.revoked.aborted).to.equal(false);
    for (const l of [...f.listeners]) l({ kind: 'token', tokenId: 'parent' });
    expect(c.revoked.aborted).to.equal(true);
    await new Promise((r) => setImmediate(r));
    expect(f.revoked).to.deep.equal(['key1']);
    expect(f.listeners).to.have.length(0);
    const d = await creds.mint({ userId: 'u-b', clusterId: 'two', purpose: 'x', ttlMs: 60_000 });
    for (const l of [...f.listeners]) l({ kind: 'user', userId: 'u-b' });
    expect(d.revoked.aborted).to.equal(true);
  });
});
