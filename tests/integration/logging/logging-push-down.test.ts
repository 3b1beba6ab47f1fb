/**
 * The log collector's push-down on kubesim, with the manager account of a real import
 * manifest: a target brings the Fluent Bit DaemonSet, its ConfigMap, Secret, ServiceAccount and
 * RBAC into paddock-system, labelled as Paddock's; a hand edit is repaired; the RBAC push-down
 * running beside it leaves them alone; removing the last target removes them all.
 */
import { expect } from 'chai';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { createAccessServices } from '../../../src/access/index.js';
import { DatasourceClusterRegistry } from '../../../src/datasources/index.js';
import { ObjectSetPush, RbacSyncController } from '../../../src/datasources/rbac-sync/index.js';
import type { Identity } from '../../../src/domain/identity.js';
import { AesGcmSecretBox } from '../../../src/identity/index.js';
import { LoggingController, LoggingService } from '../../../src/logging/index.js';
import { Kubectl } from '../../support/kubectl.js';
import { MemoryStore } from '../../support/memory-store.js';
import { waitFor } from '../../support/wait-for.js';
import { createTestLogger } from '../../unit/datasources/support/test-logger.js';

const caller = { userId: 'u-test' } as Identity;

describe('log collector push-down on kubesim', function () {
  this.timeout(90_000);
  let sim: Kubesim;
  let registry: DatasourceClusterRegistry;
  let controller: LoggingController;
  let sync: RbacSyncController;
  let service: LoggingService;
  let kubectl: Kubectl;
  const store = new MemoryStore();
  const box = new AesGcmSecretBox(Buffer.alloc(32, 4));
  const logger = createTestLogger();
  const owned = (resource: string, namespace?: string) =>
    sim
      .cluster('one')
      .list(resource, namespace)
      .filter((o) => o.metadata.labels?.['paddock.io/object-set'] === 'logging');

  before(async () => {
    sim = await startKubesim({ clusters: ['one'], seed: 'demo', adminPort: false });
    const one = sim.clusters[0]!;
    kubectl = new Kubectl(one);
    registry = new DatasourceClusterRegistry({ store, secretBox: box, logger });
    // The default import installs the manifest: Paddock then works as paddock-manager.
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
    });
    const access = createAccessServices({
      store,
      userForPrincipal: async () => undefined,
      groupsOfUser: async () => [],
    });
    sync = new RbacSyncController({
      clusters: registry,
      access: access.state,
      logger,
      resyncIntervalMs: 500,
    });
    sync.start();
    controller = new LoggingController({
      store,
      objects: new ObjectSetPush({ connection: (id) => registry.managerConnection(id) }),
      clusters: registry,
      secretBox: box,
      logger,
      resyncMs: 300,
    });
    await controller.start();
    service = new LoggingService({
      store,
      access: { allowsIn: async () => true },
      secretBox: box,
      http: async () => ({ status: 200, text: '' }),
      clusterExists: async () => true,
      projectExists: async () => true,
      pushStatus: controller,
    });
  });

  after(async () => {
    await controller?.stop();
    await sync?.stop();
    await registry?.stop();
    await sim?.stop();
  });

  it('pushes the collector for a target, repairs a hand edit, survives the RBAC pass, and goes with the last target', async () => {
    const target = await service.createTarget(
      caller,
      { clusterId: 'one' },
      {
        name: 'central',
        kind: 'splunk',
        settings: { host: 'splunk.example.org', tls: true },
        secrets: { token: 'hec-0000-1111' },
      },
    );
    await waitFor(
      'the collector objects',
      () => (owned('daemonsets.apps', 'paddock-system').length === 1 ? true : undefined),
      {
        timeoutMs: 20_000,
      },
    );
    const kinds = [
      ['serviceaccounts', 'paddock-system'],
      ['configmaps', 'paddock-system'],
      ['secrets', 'paddock-system'],
      ['clusterroles.rbac.authorization.k8s.io', undefined],
      ['clusterrolebindings.rbac.authorization.k8s.io', undefined],
    ] as const;
    for (const [resource, ns] of kinds) expect(owned(resource, ns), resource).to.have.length(1);
    for (const [resource, ns] of kinds)
      expect(owned(resource, ns)[0]!.metadata.labels?.['paddock.io/owned'], resource).to.equal(
        'true',
      );
    const config = owned('configmaps', 'paddock-system')[0] as unknown as {
      data: Record<string, string>;
    };
    expect(config.data['fluent-bit.conf']).to.match(/Name\s+splunk/);
    expect(config.data['fluent-bit.conf']).to.not.include('hec-0000-1111');
    // The DaemonSet runs a collector pod on every node (tolerating the control plane's taint).
    await waitFor('a collector pod per node', () =>
      sim
        .cluster('one')
        .list('pods', 'paddock-system')
        .filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'fluent-bit').length === 3
        ? true
        : undefined,
    );
    expect((await service.pushStatus(caller, 'one'))?.deployed).to.equal(true);

    // A hand edit of the configuration is put back by the next pass.
    const edited = await kubectl.run([
      'patch',
      'configmap',
      '-n',
      'paddock-system',
      'paddock-logging',
      '--type=merge',
      '-p',
      '{"data":{"fluent-bit.conf":"[SERVICE]\\n    Flush 99\\n"}}',
    ]);
    expect(edited.code, edited.stderr).to.equal(0);
    await waitFor('the drift to be repaired', () => {
      const cm = owned('configmaps', 'paddock-system')[0] as unknown as {
        data: Record<string, string>;
      };
      return cm.data['fluent-bit.conf']?.includes('splunk') ? true : undefined;
    });

    // The RBAC push-down deletes owned RBAC it does not want, but leaves the set alone (with
    // the collector's own repairs paused, so a deletion could not be hidden by a re-creation).
    await controller.stop();
    const paused = Date.now();
    await waitFor('a full RBAC pass after the pause', () => {
      const s = sync.status('one');
      return s?.lastAttemptAt !== undefined &&
        s.lastAttemptAt > paused &&
        s.lastSyncAt !== undefined &&
        s.lastSyncAt >= s.lastAttemptAt
        ? true
        : undefined;
    });
    expect(owned('clusterroles.rbac.authorization.k8s.io')).to.have.length(1);
    expect(owned('clusterrolebindings.rbac.authorization.k8s.io')).to.have.length(1);
    await controller.start();

    expect(await service.deleteTarget(caller, target.id)).to.equal(true);
    await waitFor('the collector to be removed', () =>
      [...kinds, ['daemonsets.apps', 'paddock-system'] as const].every(
        ([r, ns]) => owned(r, ns).length === 0,
      )
        ? true
        : undefined,
    );
    // The status is written once the pass that deleted them returns.
    await waitFor('the status to say the collector is gone', async () =>
      (await service.pushStatus(caller, 'one'))?.deployed === false ? true : undefined,
    );
    // The manager account's own objects are untouched.
    expect(
      sim.cluster('one').get('serviceaccounts', 'paddock-system', 'paddock-manager'),
    ).to.not.equal(undefined);
  });
});
