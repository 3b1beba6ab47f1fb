import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { EmbeddedStore, RedisStore } from '../../../src/store/index.js';
import { RedisServer } from '../../support/redis-server.js';
import { pollUntil } from '../../support/store-contract.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { WriterProcess } from './child-process.js';

const WRITES_BEFORE_CRASH = 300;

async function missingIds(
  acknowledged: readonly string[],
  get: (id: string) => Promise<unknown>,
): Promise<string[]> {
  const missing: string[] = [];
  for (const id of acknowledged) if ((await get(id)) === undefined) missing.push(id);
  return missing;
}

describe('Store crash safety', function () {
  this.timeout(60_000);

  it('keeps every acknowledged embedded write when the writing process is SIGKILLed', async () => {
    const dir = await makeTempDir('store-crash');
    try {
      const writer = WriterProcess.start(['write', dir.path]);
      await pollUntil(
        `${WRITES_BEFORE_CRASH} acknowledged writes (${writer.errorOutput})`,
        () => (writer.acknowledged.length >= WRITES_BEFORE_CRASH ? true : undefined),
        30_000,
      );
      await writer.kill();
      const acknowledged = [...writer.acknowledged];

      const store = EmbeddedStore.open({ dataDir: dir.path, sweepIntervalMs: 0 });
      try {
        const crash = store.collection<{ n: number }>({ name: 'crash' });
        expect(await missingIds(acknowledged, (id) => crash.get(id))).to.deep.equal([]);
        // The reopened store takes new writes normally.
        await crash.create('after-crash', { n: -1 });
        expect((await crash.list()).length).to.be.at.least(acknowledged.length + 1);
      } finally {
        await store.close();
      }
    } finally {
      await dir.remove();
    }
  });

  it('keeps every acknowledged Redis write when redis-server is SIGKILLed and restarted', async () => {
    const redis = await RedisServer.start();
    const dir = await makeTempDir('store-crash-redis');
    const prefix = `crash-${randomUUID()}:`;
    try {
      const writer = WriterProcess.start(['write', dir.path, redis.url, prefix]);
      await pollUntil(
        `${WRITES_BEFORE_CRASH} acknowledged writes (${writer.errorOutput})`,
        () => (writer.acknowledged.length >= WRITES_BEFORE_CRASH ? true : undefined),
        30_000,
      );
      await redis.kill('SIGKILL');
      await writer.kill();
      const acknowledged = [...writer.acknowledged];
      await redis.restart();

      const store = await RedisStore.open({
        url: redis.url,
        keyPrefix: prefix,
        sweepIntervalMs: 0,
      });
      try {
        const crash = store.collection<{ n: number }>({ name: 'crash' });
        expect(await missingIds(acknowledged, (id) => crash.get(id))).to.deep.equal([]);
        await crash.create('after-crash', { n: -1 });
      } finally {
        await store.close();
      }
    } finally {
      await redis.stop();
      await dir.remove();
    }
  });
});
