import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { CHURN_ANNOTATION } from '../../kubesim/seed/churn.js';
import { waitFor } from '../support/wait-for.js';
import { api } from './http-client.js';

describe('kubesim at fleet scale', function () {
  this.timeout(180_000);

  it('serves 1,000 clusters of 10 nodes from one process', async () => {
    const before = process.memoryUsage().rss;
    const sim: Kubesim = await startKubesim({
      clusters: 1000,
      seed: 'scale:10x0',
      adminPort: false,
      http2: true,
    });
    try {
      expect(sim.clusters).to.have.length(1000);
      for (const c of [sim.clusters[0]!, sim.clusters[499]!, sim.clusters[999]!]) {
        const r = await api(c, 'GET', '/api/v1/nodes', { token: c.adminToken });
        expect(r.status).to.equal(200);
        expect((r.json().items as unknown[]).length).to.equal(10);
      }
      // Well within the machine: the bench reports the figure (about 200 MiB).
      expect(process.memoryUsage().rss - before).to.be.lessThan(2 * 1024 ** 3);
    } finally {
      await sim.stop();
    }
  });

  it('seeds fleet clusters with teams, spread creation times and pods that are not running', async () => {
    const sim = await startKubesim({ clusters: 2, seed: 'fleet:2x200', adminPort: false });
    try {
      const pods = sim.cluster('kubesim-1').list('pods');
      expect(pods).to.have.length(200);
      const phases = new Set(pods.map((p) => (p.status as { phase: string }).phase));
      expect([...phases]).to.include.members(['Running', 'Pending', 'Failed']);
      const teams = new Set(pods.map((p) => p.metadata.labels?.team));
      expect(teams.size).to.equal(5);
      expect(new Set(pods.map((p) => p.metadata.creationTimestamp)).size).to.be.greaterThan(150);
      // Deterministic: the same cluster name seeds the same pods.
      const again = await startKubesim({ clusters: 1, seed: 'fleet:2x200', adminPort: false });
      const names = (s: Kubesim) =>
        s
          .cluster('kubesim-1')
          .list('pods')
          .map((p) => p.metadata.name)
          .sort();
      expect(names(again)).to.deep.equal(names(sim));
      await again.stop();
    } finally {
      await sim.stop();
    }
  });

  it('writes pods at the configured fleet-wide rate, each stamped with its time, until stopped', async () => {
    const sim = await startKubesim({ clusters: 3, seed: 'fleet:1x20', adminPort: 0, churn: 200 });
    try {
      const stamped = () =>
        sim.clusters.flatMap((c) =>
          sim
            .cluster(c.name)
            .list('pods')
            .filter((p) => p.metadata.annotations?.[CHURN_ANNOTATION]),
        );
      await waitFor('writes in every cluster', () =>
        sim.clusters.every((c) =>
          sim
            .cluster(c.name)
            .list('pods')
            .some((p) => p.metadata.annotations?.[CHURN_ANNOTATION]),
        )
          ? true
          : undefined,
      );
      const start = sim.churn.writes;
      await waitFor('a hundred more writes', () =>
        sim.churn.writes >= start + 100 ? true : undefined,
      );
      expect(Number(stamped()[0]?.metadata.annotations?.[CHURN_ANNOTATION])).to.be.closeTo(
        Date.now(),
        60_000,
      );
      const set = await fetch(`${sim.adminUrl}/churn`, {
        method: 'PUT',
        body: '{"eventsPerSecond":0}',
      });
      expect(((await set.json()) as { eventsPerSecond: number }).eventsPerSecond).to.equal(0);
      const stopped = sim.churn.writes;
      expect(sim.churn.rate).to.equal(0);
      expect(sim.churn.writes).to.equal(stopped);
    } finally {
      await sim.stop();
    }
  });
});
