import { expect } from 'chai';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { DatasourceClusterRegistry } from '../../../src/datasources/index.js';
import { SharedInformers } from '../../../src/datasources/informers/index.js';
import type { InformerEvent } from '../../../src/domain/cluster-informers.js';
import { AesGcmSecretBox } from '../../../src/identity/index.js';
import { MemoryStore } from '../../support/memory-store.js';
import { waitFor } from '../../support/wait-for.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';

describe('SharedInformers against kubesim', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let registry: DatasourceClusterRegistry;
  let informers: SharedInformers;

  before(async () => {
    // A short history so that a watch resumed after many writes meets 410 Gone.
    sim = await startKubesim({
      clusters: ['one'],
      seed: 'demo',
      adminPort: false,
      historySize: 50,
    });
    const one = sim.clusters[0]!;
    registry = new DatasourceClusterRegistry({
      store: new MemoryStore(),
      secretBox: new AesGcmSecretBox(Buffer.alloc(32, 7)),
      logger: createTestLogger(),
    });
    await registry.importFromKubeconfig({
      localFiles: 'refuse',
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
      id: 'one',
      credentials: 'context',
    });
  });

  beforeEach(() => {
    informers = new SharedInformers({
      clusters: registry,
      logger: createTestLogger(),
      retryMs: 50,
    });
  });
  afterEach(async () => {
    await informers.stop();
  });
  after(async () => {
    await registry?.stop();
    await sim?.stop();
  });

  const collect = (kind: 'nodes' | 'pods' | 'events') => {
    const events: InformerEvent[] = [];
    const stop = informers.subscribe('one', kind, (e) => events.push(e));
    return { events, stop };
  };
  const names = (events: InformerEvent[], type: string) =>
    events.filter((e) => e.type === type).map((e) => e.object?.metadata.name);

  it('lists the current objects, then delivers a node going NotReady as it happens', async () => {
    const a = collect('nodes');
    await waitFor('first sync', () =>
      a.events.some((e) => e.type === 'SYNCED') ? true : undefined,
    );
    expect(names(a.events, 'ADDED')).to.have.members([
      'one-control-plane',
      'one-worker-1',
      'one-worker-2',
    ]);
    sim.cluster('one').setNodeFault('one-worker-1', { ready: false });
    const changed = await waitFor('the NotReady change', () =>
      a.events.find(
        (e) =>
          e.type === 'MODIFIED' &&
          e.object?.metadata.name === 'one-worker-1' &&
          JSON.stringify(e.object?.status).includes('NodeStatusUnknown'),
      ),
    );
    expect(changed.clusterId).to.equal('one');
    sim.cluster('one').setNodeFault('one-worker-1', { ready: true });
    a.stop();
  });

  it('shares one watch between subscribers and replays the cache to a late one', async () => {
    const a = collect('pods');
    await waitFor('first sync', () => (informers.synced('one', 'pods') ? true : undefined));
    const b = collect('pods');
    expect(informers.openCount).to.equal(1);
    expect(b.events.at(-1)?.type).to.equal('SYNCED');
    expect(names(b.events, 'ADDED')).to.have.length(informers.list('one', 'pods').length);
    a.stop();
    expect(informers.openCount).to.equal(1);
    b.stop();
    expect(informers.openCount).to.equal(0);
  });

  it('resumes a dropped watch from its resourceVersion without replaying what it had', async () => {
    const a = collect('nodes');
    await waitFor('first sync', () => (informers.synced('one', 'nodes') ? true : undefined));
    const before = a.events.length;
    sim.cluster('one').dropWatches();
    sim.cluster('one').setNodeFault('one-worker-2', { cordoned: true });
    await waitFor('the cordon after the drop', () =>
      a.events.find(
        (e) =>
          e.type === 'MODIFIED' &&
          (e.object?.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true,
      ),
    );
    // No re-list: nothing was ADDED again and no SYNCED was repeated.
    expect(a.events.slice(before).map((e) => e.type)).to.not.include.members(['ADDED', 'SYNCED']);
    sim.cluster('one').setNodeFault('one-worker-2', { cordoned: false });
    a.stop();
  });

  it('re-lists after 410 Gone and reports what changed meanwhile as events', async () => {
    const a = collect('events');
    await waitFor('first sync', () => (informers.synced('one', 'events') ? true : undefined));
    // Stop the watch from seeing anything, then write more than the history holds.
    await sim.cluster('one').setFaults({ down: true });
    await waitFor('the informer to notice', () =>
      a.events.some((e) => e.type === 'STALE') ? true : undefined,
    );
    for (let i = 0; i < 80; i++) {
      sim.cluster('one').recordEvent({
        namespace: 'shop',
        reason: 'Burst',
        message: `event ${i}`,
        involvedObject: { kind: 'Pod', name: `p-${i}` },
      });
    }
    const synced = a.events.filter((e) => e.type === 'SYNCED').length;
    await sim.cluster('one').setFaults({ down: false });
    await waitFor('all 80 events after the re-list', () =>
      names(a.events, 'ADDED').filter((n) => n?.startsWith('p-')).length === 80 ? true : undefined,
    );
    expect(informers.list('one', 'events').filter((e) => e.reason === 'Burst')).to.have.length(80);
    // The resume from the old version met 410 and listed again.
    expect(a.events.filter((e) => e.type === 'SYNCED').length).to.equal(synced + 1);
    a.stop();
  });

  it('reads a large collection in chunks and keeps objects without managed fields', async () => {
    const chunked = new SharedInformers({
      clusters: registry,
      logger: createTestLogger(),
      retryMs: 50,
      listChunk: 3,
    });
    try {
      const pods = sim.cluster('one').list('pods');
      const stop = chunked.subscribe('one', 'pods', () => undefined);
      await waitFor('sync', () => (chunked.synced('one', 'pods') ? true : undefined));
      expect(chunked.list('one', 'pods')).to.have.length(pods.length);
      expect(chunked.list('one', 'pods').some((p) => 'managedFields' in p.metadata)).to.equal(
        false,
      );
      stop();
    } finally {
      await chunked.stop();
    }
  });

  it('follows RBAC objects with only what authorization reads, and says how current each cache is', async () => {
    const a = informers.subscribe('one', 'clusterroles', () => undefined);
    expect(informers.status('one', 'clusterroles')?.synced).to.equal(false);
    await waitFor('sync', () => (informers.synced('one', 'clusterroles') ? true : undefined));
    const view = informers.list('one', 'clusterroles').find((r) => r.metadata.name === 'view');
    expect(view?.rules).to.be.an('array').that.is.not.empty;
    expect(view?.aggregationRule).to.be.an('object');
    expect(Object.keys(view?.metadata ?? {}).sort()).to.include.members([
      'name',
      'resourceVersion',
    ]);
    expect(view?.metadata).not.to.have.property('annotations');
    const status = informers.status('one', 'clusterroles');
    expect(status?.synced).to.equal(true);
    expect(status?.objects).to.be.greaterThan(10);
    expect(status?.syncedAt).to.be.a('number');
    await sim.cluster('one').setFaults({ down: true });
    sim.cluster('one').dropWatches();
    await waitFor('stale', () =>
      informers.status('one', 'clusterroles')?.synced ? undefined : true,
    );
    expect(informers.status('one', 'clusterroles')?.staleSince).to.be.a('number');
    await sim.cluster('one').setFaults({ down: false });
    await waitFor('synced again', () =>
      informers.synced('one', 'clusterroles') ? true : undefined,
    );
    a();
  });
});
