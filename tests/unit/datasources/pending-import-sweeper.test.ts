import { expect } from 'chai';
import { type AccessServices, createAccessServices } from '../../../src/access/index.js';
import {
  ClusterAdminService,
  DatasourceClusterRegistry,
  PendingImportSweeper,
} from '../../../src/datasources/index.js';
import type { ClusterAuditEvent } from '../../../src/domain/audit.js';
import type { ClusterAdminCaller } from '../../../src/domain/cluster-admin.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import { MemoryStore } from '../../support/memory-store.js';
import {
  type FakeApiServer,
  healthyCluster,
  startFakeApiServer,
} from './support/fake-api-server.js';
import { createTestLogger } from './support/test-logger.js';

const HOUR = 3_600_000;
const TTL = 24 * HOUR;

const alice: ClusterAdminCaller = {
  identity: {
    userId: 'u-alice',
    username: 'alice',
    displayName: 'Alice',
    provider: 'local',
    principalIds: ['local://u-alice'],
    groupPrincipalIds: [],
    tokenId: 't',
    tokenKind: 'session',
  },
  requestId: 'req-1',
};

describe('the sweep of cluster imports that never became active', () => {
  let now: number;
  let api: FakeApiServer;
  let store: MemoryStore;
  let access: AccessServices;
  let registry: DatasourceClusterRegistry;
  let service: ClusterAdminService;
  let sweeper: PendingImportSweeper;
  let audit: ClusterAuditEvent[];

  beforeEach(async () => {
    now = Date.UTC(2025, 0, 1);
    api = await startFakeApiServer();
    store = new MemoryStore();
    access = createAccessServices({
      store,
      userForPrincipal: async () => undefined,
      groupsOfUser: async () => [],
    });
    const logger = createTestLogger();
    registry = new DatasourceClusterRegistry({
      store,
      secretBox: new AesGcmSecretBox(Buffer.alloc(32, 7)),
      logger,
      now: () => now,
      probeTimeoutMs: 2000,
    });
    audit = [];
    const sink = { write: (e: ClusterAuditEvent) => audit.push(e) };
    service = new ClusterAdminService({
      registry,
      authorizer: access.authorizer,
      ownership: access.ownership,
      audit: sink,
      logger,
    });
    sweeper = new PendingImportSweeper({
      registry,
      ownership: access.ownership,
      audit: sink,
      logger,
      ttlMs: async () => TTL,
      now: () => now,
    });
  });

  afterEach(async () => {
    await sweeper.stop();
    await registry.stop();
    access.close();
    await api.close();
  });

  const direct = (id: string) => ({
    id,
    name: id,
    endpoint: api.url,
    caPem: api.caPem,
    impersonatorToken: 'imp-token',
    managerToken: 'mgr-token',
  });

  it('removes a pending import older than the TTL with its creator binding, and keeps a younger one', async () => {
    await service.createPendingImport(alice, { id: 'c-old', name: 'old' });
    now += 2 * HOUR;
    await service.createPendingImport(alice, { id: 'c-young', name: 'young' });
    now += TTL - HOUR;
    expect(await sweeper.sweep()).to.deep.equal(['c-old']);
    expect(await registry.get('c-old')).to.equal(undefined);
    expect(await registry.get('c-young')).not.to.equal(undefined);
    expect(await access.bindings.clusterBindings('c-old')).to.deep.equal([]);
    expect(
      (await access.bindings.clusterBindings('c-young')).map((b) => b.roleTemplateId),
    ).to.deep.equal(['cluster-owner']);
    expect(audit.at(-1)).to.include({ action: 'expire', clusterId: 'c-old', outcome: 'success' });
    now += 2 * HOUR;
    expect(await sweeper.sweep()).to.deep.equal(['c-young']);
  });

  it('removes an import whose endpoint never answered, but never one that became active', async () => {
    await service.importDirect(alice, direct('c-dead'));
    healthyCluster(api);
    await service.importDirect(alice, direct('c-live'));
    // A cluster once active that is down now is not an abandoned import.
    api.route('GET /readyz', (_req, res) => {
      res.writeHead(503);
      res.end();
    });
    // Two failed probes in a row: one is only `degraded`.
    await registry.probe('c-live');
    await registry.probe('c-live');
    expect((await registry.get('c-live'))?.health.state).to.equal('unavailable');
    now += TTL;
    expect(await sweeper.sweep()).to.deep.equal(['c-dead']);
    expect(await registry.get('c-live')).not.to.equal(undefined);
  });

  it('leaves operator imports from before the sweep existed alone', async () => {
    await registry.importDirect(direct('c-operator'));
    const clusters = store.collection<Record<string, unknown>>({ name: 'clusters' });
    const stored = await clusters.get('c-operator');
    const { awaitingActive: _dropped, ...legacy } = stored!.value;
    await clusters.update('c-operator', legacy);
    now += 10 * TTL;
    expect(await sweeper.sweep()).to.deep.equal([]);
  });

  it('does not remove an import that was completed while the sweep was deciding', async () => {
    healthyCluster(api);
    await service.createPendingImport(alice, { id: 'c-race', name: 'race' });
    now += TTL;
    const expired = await registry.expiredImports(now - TTL);
    await registry.completeManifestImport('c-race', direct('c-race'));
    expect(await registry.removeUnchanged('c-race', expired[0]!.resourceVersion)).to.equal(false);
    expect((await registry.get('c-race'))?.health.state).to.equal('active');
  });
});
