import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import { opsFixture, sharedKeys, startReplica } from './support/served-paddock.js';

describe('readiness of a replica whose keys differ from the others', function () {
  this.timeout(90_000);

  it("is not ready, and says why in /readyz and the log, when its encryption key or API-key pepper differs from the other replicas'", async () => {
    const fx = await opsFixture('readiness-keys');
    try {
      const redis = await RedisServer.start();
      fx.track(() => redis.stop());
      const keys = sharedKeys();
      const common = { PADDOCK_REDIS_URL: redis.url, PADDOCK_LOG_LEVEL: 'error' };
      const good = await startReplica({ name: 'good', dir: fx.dir, env: { ...common, ...keys } });
      fx.track(() => good.process.stop());
      // An API key made on the good replica: what a wrong pepper would refuse.
      const token = await good.login();

      const [wrongKey, wrongPepper] = await Promise.all([
        startReplica({
          name: 'wrong-key',
          dir: fx.dir,
          waitReady: false,
          env: {
            ...common,
            ...keys,
            PADDOCK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          },
        }),
        startReplica({
          name: 'wrong-pepper',
          dir: fx.dir,
          waitReady: false,
          env: {
            ...common,
            ...keys,
            PADDOCK_API_KEY_PEPPER: randomBytes(32).toString('base64'),
          },
        }),
      ]);
      fx.track(() => wrongKey.process.stop());
      fx.track(() => wrongPepper.process.stop());

      const ready = await good.request('/readyz');
      expect(ready.status, ready.body).to.equal(200);

      const keyAnswer = await wrongKey.request('/readyz');
      expect(keyAnswer.status).to.equal(503);
      const keyChecks = JSON.parse(keyAnswer.body).checks as Record<string, string>;
      expect(keyChecks['encryption-key']).to.contain('PADDOCK_ENCRYPTION_KEY');
      expect(keyChecks['api-key-pepper']).to.equal('ok');
      await waitFor('the wrong key named in the log', () =>
        /not ready: keys differ.*PADDOCK_ENCRYPTION_KEY|PADDOCK_ENCRYPTION_KEY.*not ready: keys differ/.test(
          wrongKey.process.output(),
        )
          ? true
          : undefined,
      );

      const pepperAnswer = await wrongPepper.request('/readyz');
      expect(pepperAnswer.status).to.equal(503);
      const pepperChecks = JSON.parse(pepperAnswer.body).checks as Record<string, string>;
      expect(pepperChecks['api-key-pepper']).to.contain('PADDOCK_API_KEY_PEPPER');
      expect(pepperChecks['encryption-key']).to.equal('ok');
      expect(wrongPepper.process.output()).to.contain('PADDOCK_API_KEY_PEPPER');

      // What readiness keeps away from them: an API key minted on the good replica.
      const created = await good.graphql(
        token,
        'mutation { createApiKey(input: { description: "probe" }) { token } }',
      );
      const apiKey = (created.data?.createApiKey as { token: string } | undefined)?.token;
      expect(apiKey, JSON.stringify(created)).to.be.a('string');
      const me = '{ me { id } }';
      expect((await good.graphql(apiKey ?? '', me)).data?.me).to.not.equal(undefined);
      expect((await wrongPepper.graphql(apiKey ?? '', me)).data?.me ?? null).to.equal(null);
    } finally {
      await fx.stop();
    }
  });
});
