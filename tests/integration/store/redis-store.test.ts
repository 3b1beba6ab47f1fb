import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { ChangeEvent } from '../../../src/domain/store.js';
import { RedisStore } from '../../../src/store/index.js';
import { RedisServer } from '../../support/redis-server.js';
import {
  defineStoreSuite,
  type Person,
  peopleSpec,
  pollUntil,
} from '../../support/store-contract.js';

let redis: RedisServer;

/** Every store gets its own key prefix, so tests sharing one redis-server never see each other. */
function openRedisStore(prefix = `t-${randomUUID()}:`): Promise<RedisStore> {
  return RedisStore.open({ url: redis.url, keyPrefix: prefix, sweepIntervalMs: 100 });
}

describe('Redis store', () => {
  before(async function () {
    this.timeout(30_000);
    redis = await RedisServer.start();
  });

  after(async () => {
    await redis?.stop();
  });

  defineStoreSuite('redis', () => openRedisStore());

  describe('across replicas', () => {
    it('shows a change made through one replica to the watchers of another within a second', async () => {
      const prefix = `t-${randomUUID()}:`;
      const a = await openRedisStore(prefix);
      const b = await openRedisStore(prefix);
      try {
        const seen: ChangeEvent<Person>[] = [];
        b.collection(peopleSpec).watch((event) => seen.push(event));
        const created = await a.collection(peopleSpec).create('u-1', { name: 'Ada' });
        const event = await pollUntil('the event on replica b', () => seen[0], 1000);
        expect(event).to.deep.include({
          type: 'created',
          collection: 'people',
          id: 'u-1',
          resourceVersion: created.resourceVersion,
        });
        expect((await b.collection(peopleSpec).get('u-1'))?.value).to.deep.equal({ name: 'Ada' });
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('keeps stores with different key prefixes apart on one Redis', async () => {
      const a = await openRedisStore();
      const b = await openRedisStore();
      try {
        await a.collection(peopleSpec).create('u-1', { name: 'Ada' });
        expect(await b.collection(peopleSpec).get('u-1')).to.equal(undefined);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});
