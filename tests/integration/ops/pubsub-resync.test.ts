import { expect } from 'chai';
import { PubSubCutter } from '../../support/pubsub-cutter.js';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import {
  opsFixture,
  type ServedReplica,
  sharedKeys,
  startReplica,
} from './support/served-paddock.js';

const CREATE = 'mutation { createApiKey(input: { description: "feed" }) { token key { keyId } } }';
const REVOKE = 'mutation($id: ID!) { revokeApiKey(keyId: $id) }';

async function accepted(replica: ServedReplica, key: string): Promise<boolean> {
  const r = await replica.graphql(key, '{ me { id } }');
  return r.data?.me !== undefined && r.data.me !== null;
}

describe('a replica whose pub/sub subscription dropped', function () {
  this.timeout(90_000);

  it('stops honouring a key revoked meanwhile at once, not after its cache ages out, and follows revocations again once resubscribed', async () => {
    const fx = await opsFixture('pubsub-resync');
    try {
      const redis = await RedisServer.start();
      fx.track(() => redis.stop());
      const cutter = await PubSubCutter.start({ host: '127.0.0.1', port: redis.port });
      fx.track(() => cutter.stop());
      const keys = sharedKeys();
      const a = await startReplica({
        name: 'a',
        dir: fx.dir,
        env: { ...keys, PADDOCK_REDIS_URL: redis.url },
      });
      fx.track(() => a.process.stop());
      const b = await startReplica({
        name: 'b',
        dir: fx.dir,
        env: { ...keys, PADDOCK_REDIS_URL: cutter.url },
      });
      fx.track(() => b.process.stop());
      const admin = await a.login();
      const mint = async () => {
        const r = await a.graphql(admin, CREATE);
        const created = r.data?.createApiKey as { token: string; key: { keyId: string } };
        return { token: created.token, id: created.key.keyId };
      };

      const first = await mint();
      expect(await accepted(b, first.token), 'the key works on b (and is cached there)').to.equal(
        true,
      );
      expect(cutter.subscribers).to.equal(1);
      cutter.cut();
      const revoked = await a.graphql(admin, REVOKE, { id: first.id });
      expect(revoked.data?.revokeApiKey).to.equal(true);
      const cutAt = Date.now();
      await waitFor('b to refuse the revoked key', async () =>
        (await accepted(b, first.token)) ? undefined : true,
      );
      expect(Date.now() - cutAt, 'ms until b refused it').to.be.below(3_000);

      cutter.restore();
      await waitFor('b to subscribe again', () => (cutter.subscribers === 1 ? true : undefined));
      expect(await accepted(b, first.token)).to.equal(false);
      const second = await mint();
      expect(await accepted(b, second.token)).to.equal(true);
      await a.graphql(admin, REVOKE, { id: second.id });
      const revokedAt = Date.now();
      await waitFor('b to hear of the second revocation', async () =>
        (await accepted(b, second.token)) ? undefined : true,
      );
      expect(Date.now() - revokedAt).to.be.below(2_000);
    } finally {
      await fx.stop();
    }
  });
});
