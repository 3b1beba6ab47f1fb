import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { RedisStore } from '../../../src/store/index.js';
import { RedisClusterFixture } from '../../support/redis-server.js';
import { defineStoreSuite, peopleSpec, pollUntil } from '../../support/store-contract.js';

describe('Redis Cluster store', function () {
  this.timeout(60_000);
  let cluster: RedisClusterFixture;

  before(async () => {
    cluster = await RedisClusterFixture.start();
  });

  after(async () => {
    await cluster?.stop();
  });

  // Every key of a store shares the {prefix} hash tag, so the Lua scripts run in Cluster mode.
  defineStoreSuite('redis cluster', () =>
    RedisStore.open({ url: cluster.url, keyPrefix: `c-${randomUUID()}:`, sweepIntervalMs: 100 }),
  );

  it('delivers change events between two replicas connected to different seed nodes', async () => {
    const prefix = `c-${randomUUID()}:`;
    const [first, second] = cluster.nodes;
    const a = await RedisStore.open({
      url: `redis+cluster://127.0.0.1:${first!.port}`,
      keyPrefix: prefix,
    });
    const b = await RedisStore.open({
      url: `redis+cluster://127.0.0.1:${second!.port}`,
      keyPrefix: prefix,
    });
    try {
      const seen: string[] = [];
      b.collection(peopleSpec).watch((event) => seen.push(`${event.type}:${event.id}`));
      await a.collection(peopleSpec).create('u-1', { name: 'Ada' });
      await pollUntil('the event on replica b', () => (seen.length > 0 ? true : undefined), 1000);
      expect(seen).to.deep.equal(['created:u-1']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
