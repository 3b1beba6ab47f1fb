import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { startNginxBalancer } from '../../support/nginx-balancer.js';
import { buildPreviousRelease, type PreviousRelease } from '../../support/previous-release.js';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import {
  ADMIN_PASSWORD,
  opsFixture,
  type ServedReplica,
  sharedKeys,
  startClusters,
  startReplica,
} from './support/served-paddock.js';

/** Valid on both releases: no field or value the previous one lacks. */
const READ = '{ me { username } clusters { items { id health { state } } } }';

interface Failure {
  readonly what: string;
  readonly status: number;
  readonly body: string;
  readonly at: number;
}

describe('upgrade and rollback', function () {
  this.timeout(600_000);
  let previous: PreviousRelease;

  before(async function () {
    // Built once into node_modules/.cache/paddock-previous/<commit>/ and reused afterwards.
    this.timeout(600_000);
    previous = await buildPreviousRelease();
    if (previous.builtInSeconds > 0) {
      process.stdout.write(
        `      (built ${previous.tag} in ${previous.builtInSeconds} s; cached for later runs)\n`,
      );
    }
  });

  it('upgrades two replicas on one Redis behind nginx to this release and rolls them back, one at a time, with no data lost and no request failed', async () => {
    const fx = await opsFixture('upgrade');
    try {
      const { importEnv } = await startClusters(fx, ['one']);
      const redis = await RedisServer.start();
      fx.track(() => redis.stop());
      const ports = { a: await freePort(), b: await freePort() };
      const common = {
        ...sharedKeys(),
        PADDOCK_REDIS_URL: redis.url,
        PADDOCK_INSECURE_HTTP: 'true',
        PADDOCK_SHUTDOWN_GRACE_SECONDS: '5',
        PADDOCK_SHUTDOWN_DRAIN_SECONDS: '1',
        PADDOCK_LOG_LEVEL: 'error',
      };
      const running = new Map<'a' | 'b', ServedReplica>();
      const start = async (name: 'a' | 'b', build: 'previous' | 'this') => {
        const replica = await startReplica({
          name,
          dir: fx.dir,
          port: ports[name],
          env: {
            ...common,
            PADDOCK_DATA_DIR: join(fx.dir, `data-${name}`),
            ...(name === 'a' ? { ...importEnv } : {}),
          },
          ...(build === 'previous' ? { mainJs: previous.mainJs } : {}),
        });
        running.set(name, replica);
        return replica;
      };
      fx.track(async () => {
        for (const r of running.values()) await r.process.stop();
      });
      /** Replaces one replica by the other build, as a rolling update does. */
      const roll = async (name: 'a' | 'b', build: 'previous' | 'this') => {
        const code = await running.get(name)?.process.stop();
        expect(code, `${name} stopped cleanly`).to.equal(0);
        await start(name, build);
      };

      await start('a', 'previous');
      await start('b', 'previous');
      const lb = await startNginxBalancer({ dir: fx.dir, upstreamPorts: [ports.a, ports.b] });
      fx.track(() => lb.stop());

      const post = (path: string, body: unknown, token?: string) =>
        fetchText(`${lb.url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          },
          body: JSON.stringify(body),
        });
      const login = async () => {
        const res = await post('/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
        if (res.status !== 200) throw new Error(`login: ${res.status} ${res.body}`);
        return (JSON.parse(res.body) as { token: string }).token;
      };
      const graphql = async (token: string, query: string) => {
        const res = await post('/graphql', { query }, token);
        const parsed = JSON.parse(res.body) as { data?: Record<string, unknown>; errors?: unknown };
        if (res.status !== 200 || parsed.errors !== undefined) {
          throw new Error(`${query}: ${res.status} ${res.body.slice(0, 300)}`);
        }
        return parsed.data ?? {};
      };
      const apiKey = async (token: string) => {
        const data = await graphql(
          token,
          'mutation { createApiKey(input: { description: "upgrade" }) { token } }',
        );
        return (data.createApiKey as { token: string }).token;
      };

      // Data made by the previous release.
      const oldSession = await login();
      const oldKey = await apiKey(oldSession);
      await waitFor('cluster one active', async () => {
        const data = await graphql(oldKey, READ);
        const items = (data.clusters as { items: { health: { state: string } }[] }).items;
        return items[0]?.health.state === 'ACTIVE' ? true : undefined;
      });

      // Requests all along, through nginx: reads with an old key and an old session, fresh
      // logins used at once (perhaps on the other release), and the proxy.
      const failures: Failure[] = [];
      let served = 0;
      let loading = true;
      const check = async (what: string, call: () => Promise<{ status: number; body: string }>) => {
        const res = await call().catch((err: Error) => ({ status: 0, body: err.message }));
        const failed =
          res.status !== 200 || (res.body.startsWith('{') && res.body.includes('"errors"'));
        if (failed)
          failures.push({ what, status: res.status, body: res.body.slice(0, 300), at: Date.now() });
        else served++;
        return res;
      };
      const worker = async (step: () => Promise<void>) => {
        while (loading) {
          await step();
          await new Promise((r) => setTimeout(r, 40));
        }
      };
      const workers = [
        worker(async () => {
          await check('read with the old key', () => post('/graphql', { query: READ }, oldKey));
        }),
        worker(async () => {
          await check('read with the old session', () =>
            post('/graphql', { query: READ }, oldSession),
          );
        }),
        worker(async () => {
          const res = await check('login', () =>
            post('/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }),
          );
          if (res.status !== 200) return;
          const token = (JSON.parse(res.body) as { token: string }).token;
          await check('read with a fresh session', () => post('/graphql', { query: READ }, token));
        }),
        worker(async () => {
          await check('proxy with the old key', () =>
            fetchText(`${lb.url}/k8s/clusters/one/api/v1/namespaces/default`, {
              headers: { authorization: `Bearer ${oldKey}` },
            }),
          );
        }),
      ];
      const servedSince = async (count: number) => {
        const target = served + count;
        await waitFor(
          `${count} more requests served`,
          () => (served >= target ? true : undefined),
          {
            timeoutMs: 30_000,
          },
        );
      };

      await servedSince(20);
      await roll('b', 'this');
      await servedSince(20);
      await roll('a', 'this');
      await servedSince(20);
      const newSession = await login();
      const newKey = await apiKey(newSession);
      for (const token of [oldKey, oldSession, newKey, newSession]) await graphql(token, READ);

      await roll('b', 'previous');
      await servedSince(20);
      await roll('a', 'previous');
      await servedSince(20);
      loading = false;
      await Promise.all(workers);

      // Nothing lost: every credential and the cluster, on the previous release again.
      for (const token of [oldKey, oldSession, newKey, newSession]) {
        const data = await graphql(token, READ);
        expect(data.me).to.deep.equal({ username: 'admin' });
        expect((data.clusters as { items: { id: string }[] }).items.map((c) => c.id)).to.deep.equal(
          ['one'],
        );
      }
      const keys = await graphql(oldKey, '{ apiKeys { description } }');
      expect((keys.apiKeys as unknown[]).length).to.equal(2);
      const nginxLog = await readFile(join(fx.dir, 'nginx', 'logs', 'error.log'), 'utf8');
      expect(
        failures,
        `${JSON.stringify(failures.slice(0, 5), null, 2)}\nnginx: ${nginxLog.slice(-3000)}`,
      ).to.deep.equal([]);
      expect(served).to.be.greaterThan(100);
    } finally {
      await fx.stop();
    }
  });
});
