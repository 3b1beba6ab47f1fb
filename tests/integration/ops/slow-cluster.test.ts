import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, writeKubeconfig } from '../authproxy/support/kubectl.js';
import {
  opsFixture,
  type ServedReplica,
  startClusters,
  startReplica,
} from './support/served-paddock.js';

async function states(replica: ServedReplica, token: string): Promise<Record<string, string>> {
  const r = await replica.graphql(token, '{ clusters { items { id health { state } } } }');
  const items = (r.data?.clusters as { items: { id: string; health: { state: string } }[] })?.items;
  return Object.fromEntries((items ?? []).map((c) => [c.id, c.health.state]));
}

describe('a slow cluster is slow, not dead', function () {
  this.timeout(180_000);

  it('keeps working through the proxy and GraphQL while it answers in 8 s, shows it degraded, and tells down from up within 5 s', async () => {
    const fx = await opsFixture('slow-cluster');
    try {
      const { sim, importEnv } = await startClusters(fx, ['fast', 'slow', 'flaky']);
      const replica = await startReplica({
        name: 'a',
        dir: fx.dir,
        env: {
          ...importEnv,
          PADDOCK_CLUSTER_PROBE_INTERVAL_SECONDS: '1',
        },
      });
      fx.track(() => replica.process.stop());
      const token = await replica.login();
      await waitFor(
        'every cluster active',
        async () => {
          const s = await states(replica, token);
          return Object.keys(s).length === 3 && Object.values(s).every((v) => v === 'ACTIVE')
            ? true
            : undefined;
        },
        { timeoutMs: 20_000 },
      );
      const created = await replica.graphql(
        token,
        'mutation { createApiKey(input: { description: "kubectl" }) { token } }',
      );
      const apiKey = (created.data?.createApiKey as { token: string } | undefined)?.token ?? '';
      const caFile = join(fx.dir, 'paddock-ca.pem');
      await writeFile(caFile, replica.caPem ?? '');
      const kubeconfig = await writeKubeconfig(
        fx.dir,
        'slow-through-paddock',
        `${replica.url}/k8s/clusters/slow`,
        caFile,
        apiKey,
      );

      // From now on every answer of cluster `slow` takes 8 s, health probes' included.
      await sim.cluster('slow').setFaults({ latency: 8_000 });
      const seen = new Set<string>();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          seen.add((await states(replica, token)).slow ?? 'missing');
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      await waitFor(
        'cluster slow shown as degraded',
        async () => ((await states(replica, token)).slow === 'DEGRADED' ? true : undefined),
        { timeoutMs: 15_000 },
      );

      // kubectl through the proxy: slow answers, every one of them (one request each, so
      // discovery does not multiply the wait).
      const started = Date.now();
      const runs = await Promise.all(
        [1, 2, 3].map(() =>
          kubectl(kubeconfig, ['get', '--raw', '/k8s/clusters/slow/api/v1/namespaces']),
        ),
      );
      for (const run of runs) {
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.contain('"default"');
      }
      expect(Date.now() - started).to.be.at.least(8_000);

      // GraphQL across clusters: back within its deadline, the slow cluster a TIMEOUT, again
      // and again (no circuit opens on slowness). The fleet index answers pods from its copy,
      // which no slowness delays; `slow` is named a live cluster so its pods are read live.
      const live = await replica.graphql(
        token,
        'mutation { updateSetting(name: "fleet-index-live-clusters", value: "slow") { value } }',
      );
      expect(live.errors, JSON.stringify(live.errors)).to.equal(undefined);
      await waitFor(
        'the fleet index reads cluster slow live',
        async () => {
          const r = await replica.graphql(
            token,
            '{ pods(first: 1, deadlineMs: 1500) { sources { clusterId source } } }',
          );
          const sources = (r.data?.pods as { sources: { clusterId: string; source: string }[] })
            ?.sources;
          return sources?.some((x) => x.clusterId === 'slow' && x.source === 'LIVE')
            ? true
            : undefined;
        },
        { timeoutMs: 15_000 },
      );
      for (let i = 0; i < 4; i++) {
        const asked = Date.now();
        const r = await replica.graphql(
          token,
          '{ pods(first: 100, deadlineMs: 1500) { items { clusterId } clusterErrors { clusterId code message } } }',
        );
        const took = Date.now() - asked;
        const pods = r.data?.pods as {
          items: { clusterId: string }[];
          clusterErrors: { clusterId: string; code: string; message: string }[];
        };
        expect(took, 'ms for a query with deadlineMs 1500').to.be.below(3_000);
        expect(pods.items.some((p) => p.clusterId === 'fast')).to.equal(true);
        expect(pods.clusterErrors.map((e) => [e.clusterId, e.code])).to.deep.equal([
          ['slow', 'TIMEOUT'],
        ]);
      }
      sampling = false;
      await sampler;
      expect([...seen], 'states of the slow cluster meanwhile').to.not.include('UNAVAILABLE');

      // A cluster that goes down is unavailable within 5 s, and back within 5 s.
      await sim.cluster('flaky').setFaults({ down: true });
      const downAt = Date.now();
      await waitFor(
        'cluster flaky unavailable',
        async () => ((await states(replica, token)).flaky === 'UNAVAILABLE' ? true : undefined),
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(Date.now() - downAt, 'ms to show a down cluster unavailable').to.be.at.most(5_000);
      await sim.cluster('flaky').clearFaults();
      const upAt = Date.now();
      await waitFor(
        'cluster flaky active again',
        async () => ((await states(replica, token)).flaky === 'ACTIVE' ? true : undefined),
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(Date.now() - upAt, 'ms to show a recovered cluster active').to.be.at.most(5_000);
    } finally {
      await fx.stop();
    }
  });
});
