import { expect } from 'chai';
import { CapacityRefresher } from '../../../src/datasources/index.js';
import type { ClusterSummary } from '../../../src/domain/cluster.js';
import { createTestLogger } from './support/test-logger.js';

const cluster = (id: string): ClusterSummary =>
  ({ id, name: id, health: { state: 'active' } }) as unknown as ClusterSummary;

describe('CapacityRefresher across many clusters', () => {
  it('reads at most `concurrency` clusters at once and still reads every one in a pass', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `c-${i}`);
    let inFlight = 0;
    let peak = 0;
    const asked: string[] = [];
    const refresher = new CapacityRefresher({
      clusters: {
        list: async () => ids.map(cluster),
        async managerConnection(id) {
          asked.push(id);
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 2));
          inFlight--;
          return undefined;
        },
      },
      logger: createTestLogger(),
      concurrency: 4,
    });
    await refresher.refreshAll();
    expect(peak).to.equal(4);
    expect([...asked].sort()).to.deep.equal([...ids].sort());
  });
});
