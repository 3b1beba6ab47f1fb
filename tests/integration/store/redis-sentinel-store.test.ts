import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { RedisStore } from '../../../src/store/index.js';
import { RedisServer } from '../../support/redis-server.js';
import { peopleSpec, pollUntil } from '../../support/store-contract.js';

describe('Redis store through Sentinel', function () {
  this.timeout(30_000);
  let master: RedisServer;
  let sentinel: RedisServer;

  before(async () => {
    master = await RedisServer.start();
    sentinel = await RedisServer.start({ sentinelOfPort: master.port });
  });

  after(async () => {
    await sentinel?.stop();
    await master?.stop();
  });

  it('finds the master through a redis+sentinel:// URL and shares changes between replicas', async () => {
    const url = `redis+sentinel://127.0.0.1:${sentinel.port}/mymaster`;
    const prefix = `s-${randomUUID()}:`;
    const a = await RedisStore.open({ url, keyPrefix: prefix });
    const b = await RedisStore.open({ url, keyPrefix: prefix });
    try {
      const seen: string[] = [];
      b.collection(peopleSpec).watch((event) => seen.push(`${event.type}:${event.id}`));
      await a.collection(peopleSpec).create('u-1', { name: 'Ada', email: 'a@x' });
      await pollUntil('the event on replica b', () => (seen.length > 0 ? true : undefined), 1000);
      expect(seen).to.deep.equal(['created:u-1']);
      expect((await b.collection(peopleSpec).get('u-1'))?.value.name).to.equal('Ada');
      await b.ping();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
