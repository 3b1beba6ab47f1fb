import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { RedisServer } from '../../support/redis-server.js';
import { kubectl } from '../authproxy/support/kubectl.js';
import { opsFixture, sharedKeys, startClusters, startReplica } from './support/served-paddock.js';

describe('replicas without a configured certificate', function () {
  this.timeout(90_000);

  it('share one CA through the store, so a kubeconfig downloaded from one replica works against another', async () => {
    const fx = await opsFixture('shared-ca');
    try {
      const { importEnv } = await startClusters(fx, ['one']);
      const redis = await RedisServer.start();
      fx.track(() => redis.stop());
      const keys = sharedKeys();
      const port = await freePort();
      const a = await startReplica({
        name: 'a',
        dir: fx.dir,
        port,
        env: {
          ...keys,
          PADDOCK_SERVER_URL: `https://localhost:${port}`,
          PADDOCK_REDIS_URL: redis.url,
          ...importEnv,
        },
      });
      fx.track(() => a.process.stop());
      const b = await startReplica({
        name: 'b',
        dir: fx.dir,
        env: { ...keys, PADDOCK_REDIS_URL: redis.url },
      });
      fx.track(() => b.process.stop());
      expect(b.caPem, 'the CA in b’s data directory').to.equal(a.caPem);

      const token = await a.login();
      const issued = await a.graphql(token, 'mutation { kubeconfig(clusterIds: ["one"]) }');
      const fromA = issued.data?.kubeconfig as string;
      expect(fromA, JSON.stringify(issued)).to.contain(new URL(a.url).host);
      const toB = fromA.replaceAll(new URL(a.url).host, new URL(b.url).host);
      const file = join(fx.dir, 'from-a-to-b.kubeconfig');
      await writeFile(file, toB);
      const run = await kubectl(file, ['get', 'namespaces', '-o', 'name']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.contain('namespace/default');
    } finally {
      await fx.stop();
    }
  });
});
