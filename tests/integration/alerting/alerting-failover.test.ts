/**
 * Two replicas share one store; each runs the alerting controller only while it holds the
 * lease. When the replica that notified a firing alert stops, the other takes over without
 * sending that notification again, and still sends the resolution when it comes.
 */
import { expect } from 'chai';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { alertRulesCollection } from '../../../src/alerting/alert-records.js';
import { AlertController, NotifierStore } from '../../../src/alerting/index.js';
import { ControllerHost, StoreLeases } from '../../../src/controllers/index.js';
import { DatasourceClusterRegistry } from '../../../src/datasources/index.js';
import { SharedInformers } from '../../../src/datasources/informers/index.js';
import type { AlertRule } from '../../../src/domain/alerting.js';
import { AesGcmSecretBox } from '../../../src/identity/index.js';
import { MemoryStore } from '../../support/memory-store.js';
import { waitFor } from '../../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';

describe('alerting failover between replicas', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let hook: WebhookReceiver;
  const store = new MemoryStore();
  const box = new AesGcmSecretBox(Buffer.alloc(32, 5));
  const logger = createTestLogger();

  const replica = async (name: string) => {
    const registry = new DatasourceClusterRegistry({ store, secretBox: box, logger });
    const informers = new SharedInformers({ clusters: registry, logger, retryMs: 50 });
    const host = new ControllerHost({
      leases: new StoreLeases({ store, holder: name, ttlSeconds: 5 }),
      logger,
      renewEveryMs: 200,
    });
    host.add(
      new AlertController({
        store,
        informers,
        clusters: registry,
        notifiers: new NotifierStore(store, box),
        logger,
        tickMs: 100,
      }),
    );
    await host.start();
    return {
      host,
      informers,
      async stop() {
        await host.stop();
        await informers.stop();
        await registry.stop();
      },
    };
  };

  before(async () => {
    sim = await startKubesim({ clusters: ['one'], seed: 'demo', adminPort: false });
    hook = await startWebhookReceiver();
    const one = sim.clusters[0]!;
    const registry = new DatasourceClusterRegistry({ store, secretBox: box, logger });
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
    await registry.stop();
    const notifier = await new NotifierStore(store, box).create(
      { clusterId: 'one' },
      { name: 'hook', kind: 'webhook', settings: {}, secrets: { url: hook.url } },
    );
    const rule: AlertRule = {
      id: 'ar-failover',
      name: 'cordoned',
      scope: { clusterId: 'one' },
      condition: { kind: 'nodeCondition', condition: 'Cordoned' },
      severity: 'warning',
      forSeconds: 0,
      groupWaitSeconds: 0,
      groupIntervalSeconds: 1,
      repeatIntervalSeconds: 3600,
      notifierIds: [notifier.id],
      groupBy: [],
      enabled: true,
      createdAt: 0,
      updatedAt: 0,
    };
    await store.collection(alertRulesCollection).create(rule.id, rule);
  });

  after(async () => {
    await hook?.stop();
    await sim?.stop();
  });

  it('does not notify again after a takeover, and sends the resolution from the new replica', async () => {
    const a = await replica('replica-a');
    const b = await replica('replica-b');
    try {
      expect(a.host.status()[0]?.running).to.equal(true);
      expect(b.host.status()[0]?.running).to.equal(false);
      sim.cluster('one').setNodeFault('one-worker-2', { cordoned: true });
      await waitFor('the firing notification', () =>
        hook.requests.length === 1 ? true : undefined,
      );
      await a.stop();
      await waitFor('replica b to take over and read the nodes', () =>
        b.host.status()[0]?.running && b.informers.synced('one', 'nodes') ? true : undefined,
      );
      // B evaluates the same firing alert: a change elsewhere on the node makes it look again.
      sim.cluster('one').setNodeFault('one-worker-2', { memoryPressure: true });
      sim.cluster('one').setNodeFault('one-worker-2', { memoryPressure: false });
      sim.cluster('one').setNodeFault('one-worker-2', { cordoned: false });
      await waitFor('the resolution', () => (hook.requests.length >= 2 ? true : undefined));
      const statuses = hook.requests.map((r) => JSON.parse(r.body).status);
      expect(statuses).to.deep.equal(['firing', 'resolved']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
