import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { type Controller, ControllerHost, StoreLeases } from '../../../src/controllers/index.js';
import { RedisStore } from '../../../src/store/index.js';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';

let redis: RedisServer;

function counting(name: string, running: Set<string>, who: string): Controller {
  return {
    name,
    start: () => {
      running.add(who);
    },
    stop: () => {
      running.delete(who);
    },
  };
}

describe('controller leases on a real Redis', () => {
  before(async function () {
    this.timeout(30_000);
    redis = await RedisServer.start();
  });
  after(async () => {
    await redis?.stop();
  });

  it('runs a controller on one of three replicas and fails over within seconds of a crash', async function () {
    this.timeout(20_000);
    const prefix = `t-${randomUUID()}:`;
    const running = new Set<string>();
    const replicas = await Promise.all(
      ['a', 'b', 'c'].map(async (who) => {
        const store = await RedisStore.open({ url: redis.url, keyPrefix: prefix });
        const host = new ControllerHost({
          leases: new StoreLeases({ store, holder: who, ttlSeconds: 2 }),
          logger: createTestLogger(),
          renewEveryMs: 300,
        });
        host.add(counting('alerts', running, who));
        await host.start();
        return { who, store, host };
      }),
    );
    try {
      await waitFor('one replica running the controller', () =>
        running.size === 1 ? true : undefined,
      );
      // Let several renewal rounds pass: still exactly one.
      const first = [...running][0];
      await new Promise((r) => setTimeout(r, 1_000));
      expect([...running]).to.deep.equal([first]);
      // Crash the holder: its store connection goes first, so it cannot release the lease.
      const holder = replicas.find((r) => r.who === first);
      if (holder === undefined) throw new Error('no holder');
      await holder.store.close();
      await holder.host.stop();
      const next = await waitFor(
        'another replica to take over once the lease expires',
        () => (running.size === 1 && !running.has(first ?? '') ? [...running][0] : undefined),
        { timeoutMs: 8_000 },
      );
      expect(next).to.not.equal(first);
    } finally {
      for (const r of replicas) {
        await r.host.stop().catch(() => undefined);
        await r.store.close().catch(() => undefined);
      }
    }
  });
});
