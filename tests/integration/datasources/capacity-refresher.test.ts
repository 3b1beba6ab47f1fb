import { expect } from 'chai';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { CapacityRefresher, DatasourceClusterRegistry } from '../../../src/datasources/index.js';
import { AesGcmSecretBox } from '../../../src/identity/index.js';
import { MemoryStore } from '../../support/memory-store.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';

describe('CapacityRefresher against kubesim', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let registry: DatasourceClusterRegistry;
  let now = 1_000_000;

  before(async () => {
    sim = await startKubesim({ clusters: ['one'], seed: 'demo', adminPort: false });
    const one = sim.clusters[0]!;
    registry = new DatasourceClusterRegistry({
      store: new MemoryStore(),
      secretBox: new AesGcmSecretBox(Buffer.alloc(32, 7)),
      logger: createTestLogger(),
    });
    await registry.importFromKubeconfig({
      kubeconfig: stringify({
        'current-context': 'one',
        clusters: [
          {
            name: 'one',
            cluster: {
              server: one.url,
              'certificate-authority-data': Buffer.from(one.caPem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'admin', user: { token: one.adminToken } }],
        contexts: [{ name: 'one', context: { cluster: 'one', user: 'admin' } }],
      }),
      localFiles: 'refuse',
      id: 'one',
    });
  });

  after(async () => {
    await registry?.stop();
    await sim?.stop();
  });

  it('sums node allocatable and pod requests with the manager account, and forgets stale reads', async () => {
    const refresher = new CapacityRefresher({
      clusters: registry,
      logger: createTestLogger(),
      intervalMs: 1000,
      now: () => now,
    });
    await refresher.refreshAll();
    const snapshot = await refresher.capacity('one');
    // The demo seed: three nodes of 8 CPUs / 110 pods each, and pods requesting 2 CPUs in all
    // (the same figures GraphQL computes when it reads nodes and pods as the caller).
    expect(snapshot?.allocatable.cpuMillis).to.equal(24_000);
    expect(snapshot?.allocatable.pods).to.equal(330);
    expect(snapshot?.requested.cpuMillis).to.equal(2_000);
    expect(snapshot?.requested.pods).to.be.greaterThan(0);
    now += 3_001;
    expect(await refresher.capacity('one')).to.equal(undefined);
    expect(await refresher.capacity('unknown')).to.equal(undefined);
  });
});
