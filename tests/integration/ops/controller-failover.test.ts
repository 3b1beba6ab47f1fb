import { join } from 'node:path';
import { expect } from 'chai';
import { RedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, writeKubeconfig } from '../authproxy/support/kubectl.js';
import {
  opsFixture,
  type ServedReplica,
  sharedKeys,
  startClusters,
  startReplica,
} from './support/served-paddock.js';

/** The controllers a replica says it started (its log lines, JSON). */
function startedOn(replica: ServedReplica): Set<string> {
  const names = new Set<string>();
  for (const line of replica.process.output().split('\n')) {
    if (!line.includes('"controller started"')) continue;
    const name = /"controller":"([a-z-]+)"/.exec(line)?.[1];
    if (name !== undefined) names.add(name);
  }
  return names;
}

describe('background controllers across replicas', function () {
  this.timeout(120_000);

  it('run every controller (push-down, capacity, import sweep, alerting, log collector, multi-cluster apps, catalogs, backups) on one replica, show their results on every replica, and move to another within seconds when it dies', async () => {
    const fx = await opsFixture('controllers');
    try {
      const { sim, importEnv } = await startClusters(fx, ['one']);
      const one = sim.cluster('one').describe();
      const admin = await writeKubeconfig(fx.dir, 'admin-one', one.url, one.caFile, one.adminToken);
      const redis = await RedisServer.start();
      fx.track(() => redis.stop());
      const env = {
        ...sharedKeys(),
        PADDOCK_REDIS_URL: redis.url,
        PADDOCK_LOG_LEVEL: 'info',
        PADDOCK_BACKUP_EVERY: '1h',
        PADDOCK_BACKUP_DIR: join(fx.dir, 'backups'),
      };
      const a = await startReplica({
        name: 'a',
        dir: fx.dir,
        env: { ...env, ...importEnv },
      });
      fx.track(() => a.process.stop());
      const b = await startReplica({ name: 'b', dir: fx.dir, env });
      fx.track(() => b.process.stop());

      const wanted = [
        'capacity',
        'rbac-sync',
        'import-sweeper',
        'alerting',
        'logging',
        'multi-cluster-apps',
        'catalog-refresh',
        'scheduled-backup',
      ];
      const leader = await waitFor('every controller started on one replica', () => {
        const [onA, onB] = [startedOn(a), startedOn(b)];
        if (wanted.every((c) => onA.has(c)) && onB.size === 0) return a;
        if (wanted.every((c) => onB.has(c)) && onA.size === 0) return b;
        return undefined;
      });
      const follower = leader === a ? b : a;

      const token = await follower.login();
      const pushedDown = async (username: string) => {
        const created = await follower.graphql(
          token,
          'mutation($u: String!) { createLocalUser(input: { username: $u, password: "a long enough password 42" }) { user { id } } }',
          { u: username },
        );
        const userId = (created.data?.createLocalUser as { user: { id: string } } | undefined)?.user
          .id;
        expect(userId, JSON.stringify(created)).to.be.a('string');
        const bound = await follower.graphql(
          token,
          'mutation($p: ID!) { addClusterMember(clusterId: "one", principalId: $p, roleTemplateId: "cluster-member") { id } }',
          { p: `local://${userId}` },
        );
        expect(bound.errors, JSON.stringify(bound.errors)).to.equal(undefined);
        await waitFor(
          `${username}'s binding pushed down`,
          async () => {
            const r = await kubectl(admin, ['get', 'clusterrolebindings', '-o', 'json']);
            return r.stdout.includes(`"${userId}"`) ? true : undefined;
          },
          { timeoutMs: 20_000, intervalMs: 250 },
        );
      };

      // A change made through the follower is pushed down by the leader.
      await pushedDown('carol');
      // The follower shows the leader's outcome and capacity, read from the store.
      const shown = await waitFor('the push-down status on the follower', async () => {
        const r = await follower.graphql(
          token,
          '{ rbacSyncStatus(clusterId: "one") { lastSyncAt errors } }',
        );
        const status = r.data?.rbacSyncStatus as { lastSyncAt: string | null } | null;
        return status?.lastSyncAt ? status : undefined;
      });
      expect(shown.lastSyncAt).to.be.a('string');
      const capacity = await waitFor('capacity on the follower', async () => {
        const r = await follower.graphql(
          token,
          '{ clusters { items { id capacity { allocatable { cpuMillis } } } } }',
        );
        const items = (r.data?.clusters as { items: { capacity: unknown }[] } | undefined)?.items;
        return items?.[0]?.capacity ?? undefined;
      });
      expect(capacity).to.deep.equal({ allocatable: { cpuMillis: 24_000 } });
      // And the log collector's push outcome (none deployed: no targets), kept by the leader.
      const logging = await waitFor('the log collector status on the follower', async () => {
        const r = await follower.graphql(
          token,
          '{ loggingStatus(clusterId: "one") { at deployed errors } }',
        );
        return (
          (r.data?.loggingStatus as { deployed: boolean; errors: string[] } | null) ?? undefined
        );
      });
      expect(logging).to.include({ deployed: false });
      expect(logging.errors).to.deep.equal([]);

      // The leader dies without giving its leases back.
      const diedAt = Date.now();
      leader.process.child.kill('SIGKILL');
      await waitFor(
        'the follower to take every controller over',
        () => (wanted.every((c) => startedOn(follower).has(c)) ? true : undefined),
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      expect(Date.now() - diedAt, 'ms to fail over').to.be.below(15_000);
      await pushedDown('dave');
    } finally {
      await fx.stop();
    }
  });
});
