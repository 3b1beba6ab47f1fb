import { createServer as createHttpsServer, type Server } from 'node:https';
import { type AddressInfo, createServer } from 'node:net';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { type AccessServices, createAccessServices } from '../../../src/access/index.js';
import {
  ClusterAdminService,
  createOutboundGuard,
  DatasourceClusterRegistry,
} from '../../../src/datasources/index.js';
import type { ClusterAuditEvent } from '../../../src/domain/audit.js';
import type { ClusterAdminCaller } from '../../../src/domain/cluster-admin.js';
import type { Identity } from '../../../src/domain/identity.js';
import { DEFAULT_OUTBOUND_DENIED_NETWORKS } from '../../../src/domain/outbound-guard.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import { MemoryStore } from '../../support/memory-store.js';
import {
  type FakeApiServer,
  healthyCluster,
  json,
  startFakeApiServer,
  testTlsMaterial,
} from './support/fake-api-server.js';
import { createTestLogger } from './support/test-logger.js';

function caller(userId: string): ClusterAdminCaller {
  const identity: Identity = {
    userId,
    username: userId,
    displayName: userId,
    provider: 'local',
    principalIds: [`local://${userId}`],
    groupPrincipalIds: [],
    tokenId: 't',
    tokenKind: 'session',
  };
  return { identity, requestId: `req-${userId}` };
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => expect.fail('expected a refusal'),
    (err: Error & { code?: string; reason?: string }) => err,
  );
}

/** Serves the two token Secrets of an applied import manifest to `bootstrap`. */
function serveTokens(api: FakeApiServer, bootstrap: string) {
  for (const [name, token] of [
    ['paddock-impersonator-token', 'imp-token'],
    ['paddock-manager-token', 'mgr-token'],
  ] as const) {
    api.route(`GET /api/v1/namespaces/paddock-system/secrets/${name}`, (req, res) => {
      if (req.headers.authorization !== `Bearer ${bootstrap}`) {
        return json(res, 401, { kind: 'Status', code: 401 });
      }
      json(res, 200, { kind: 'Secret', data: { token: Buffer.from(token).toString('base64') } });
    });
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('cluster registration as callers may do it (ClusterAdminService)', () => {
  const admin = caller('u-admin');
  const alice = caller('u-alice');
  const bob = caller('u-bob');
  let api: FakeApiServer;
  let access: AccessServices;
  let registry: DatasourceClusterRegistry;
  let service: ClusterAdminService;
  let audit: ClusterAuditEvent[];
  let logger: ReturnType<typeof createTestLogger>;
  let denied: string;

  beforeEach(async () => {
    api = await startFakeApiServer();
    healthyCluster(api);
    serveTokens(api, 'boot-token');
    const store = new MemoryStore();
    access = createAccessServices({
      store,
      userForPrincipal: async (p) => /^local:\/\/(u-[a-z0-9]+)$/.exec(p)?.[1],
      groupsOfUser: async () => [],
    });
    await access.authorizer.grantGlobalRole('u-admin', 'admin');
    logger = createTestLogger();
    denied = DEFAULT_OUTBOUND_DENIED_NETWORKS;
    registry = new DatasourceClusterRegistry({
      store,
      secretBox: new AesGcmSecretBox(Buffer.alloc(32, 7)),
      logger,
      probeTimeoutMs: 2000,
      sleep: () => new Promise((r) => setImmediate(r)),
      outbound: createOutboundGuard({ networks: async () => ({ allowed: '', denied }) }),
    });
    audit = [];
    service = new ClusterAdminService({
      registry,
      authorizer: access.authorizer,
      ownership: access.ownership,
      audit: { write: (e) => audit.push(e) },
      logger,
      now: () => 42,
    });
  });

  afterEach(async () => {
    await registry.stop();
    access.close();
    await api.close();
  });

  const complete = (who: ClusterAdminCaller, id: string) =>
    service.completeManifestImport(who, id, {
      endpoint: api.url,
      caPem: api.caPem,
      bootstrapToken: 'boot-token',
    });

  it("refuses completing someone else's pending import, which stays pending", async () => {
    const pending = await service.createPendingImport(alice, { id: 'c-alice', name: 'Alice' });
    expect(pending.createdBy).to.equal('u-alice');
    const err = await failure(complete(bob, 'c-alice'));
    expect(err).to.include({ code: 'FORBIDDEN', reason: 'missing_permission' });
    expect((await registry.get('c-alice'))?.health.state).to.equal('pending');
    const done = await complete(alice, 'c-alice');
    expect(done.health.state).to.equal('active');
    expect(done.createdBy).to.equal('u-alice');
  });

  it('refuses completing an imported cluster again, even for an admin, and keeps its endpoint', async () => {
    await service.createPendingImport(admin, { id: 'c-edge', name: 'Edge' });
    await complete(admin, 'c-edge');
    const other = await startFakeApiServer();
    try {
      const err = await failure(
        service.completeManifestImport(admin, 'c-edge', {
          endpoint: other.url,
          caPem: other.caPem,
          bootstrapToken: 'boot-token',
        }),
      );
      expect(err).to.include({ code: 'CONFLICT', reason: 'cluster_not_pending' });
      expect(other.requests).to.deep.equal([]);
    } finally {
      await other.close();
    }
    expect((await registry.get('c-edge'))?.endpoint).to.equal(api.url);
    // A plain user who did not create it gets no further than permission.
    expect(await failure(complete(alice, 'c-edge'))).to.include({ code: 'FORBIDDEN' });
  });

  it('answers FORBIDDEN, not NOT_FOUND, to a caller without rights on an unknown cluster', async () => {
    expect(await failure(complete(bob, 'c-none'))).to.include({ code: 'FORBIDDEN' });
    expect(await failure(complete(admin, 'c-none'))).to.include({ code: 'NOT_FOUND' });
    expect(await failure(service.remove(bob, 'c-none'))).to.include({ code: 'FORBIDDEN' });
    expect(await service.remove(admin, 'c-none')).to.equal(false);
  });

  it('makes the creator cluster-owner: it sees, changes and removes its cluster, others cannot', async () => {
    await service.importDirect(alice, {
      id: 'c-own',
      name: 'Own',
      endpoint: api.url,
      caPem: api.caPem,
      impersonatorToken: 'imp-token',
      managerToken: 'mgr-token',
    });
    const visible = await access.authorizer.visibleClusterIds(alice.identity);
    expect(visible !== 'all' && visible.has('c-own')).to.equal(true);
    const hidden = await access.authorizer.visibleClusterIds(bob.identity);
    expect(hidden !== 'all' && hidden.has('c-own')).to.equal(false);

    expect(await failure(service.remove(bob, 'c-own'))).to.include({ code: 'FORBIDDEN' });
    expect(await failure(service.update(bob, 'c-own', { name: 'Mine' }))).to.include({
      code: 'FORBIDDEN',
    });
    const err = await failure(
      service.updateConnection(bob, 'c-own', {
        endpoint: 'https://127.0.0.1:1',
        impersonatorToken: 'x',
        managerToken: 'y',
      }),
    );
    expect(err).to.include({ code: 'FORBIDDEN' });

    expect((await service.update(alice, 'c-own', { name: 'Renamed' })).name).to.equal('Renamed');
    expect(await service.remove(alice, 'c-own')).to.equal(true);
    const after = await access.authorizer.visibleClusterIds(alice.identity);
    expect(after !== 'all' && after.has('c-own')).to.equal(false);
    expect(await access.bindings.clusterBindings('c-own')).to.deep.equal([]);
  });

  it("gives a later cluster with a removed cluster's id none of the old members", async () => {
    await service.createPendingImport(alice, { id: 'c-reuse', name: 'Reuse' });
    await service.remove(admin, 'c-reuse');
    await service.createPendingImport(bob, { id: 'c-reuse', name: 'Reuse' });
    const visible = await access.authorizer.visibleClusterIds(alice.identity);
    expect(visible !== 'all' && visible.has('c-reuse')).to.equal(false);
    expect(await failure(service.remove(alice, 'c-reuse'))).to.include({ code: 'FORBIDDEN' });
  });

  it('changes an active cluster connection only for whoever may update it, and audits it', async () => {
    await service.createPendingImport(alice, { id: 'c-move', name: 'Move' });
    await complete(alice, 'c-move');
    const moved = await service.updateConnection(alice, 'c-move', {
      endpoint: api.url.replace('127.0.0.1', 'localhost'),
      caPem: api.caPem,
      bootstrapToken: 'boot-token',
    });
    expect(moved.endpoint).to.contain('localhost');
    expect(moved.health.state).to.equal('active');
    const lines = audit.filter((e) => e.clusterId === 'c-move').map((e) => [e.action, e.outcome]);
    expect(lines).to.deep.equal([
      ['create-import', 'success'],
      ['complete-import', 'success'],
      ['update-connection', 'success'],
    ]);
    expect(audit.at(-1)).to.include({ userId: 'u-alice', requestId: 'req-u-alice', at: 42 });
    expect(JSON.stringify(audit)).not.to.contain('boot-token');
  });

  it('audits refused attempts as denied', async () => {
    await service.createPendingImport(alice, { id: 'c-aud', name: 'Aud' });
    await failure(complete(bob, 'c-aud'));
    expect(audit.at(-1)).to.include({
      action: 'complete-import',
      clusterId: 'c-aud',
      userId: 'u-bob',
      outcome: 'denied',
      error: 'FORBIDDEN',
    });
  });

  it('says "cannot reach endpoint" alike for a closed port and for an open port that is no Kubernetes', async () => {
    const tls = await testTlsMaterial();
    const web: Server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>secret intranet page</html>');
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const open = (web.address() as AddressInfo).port;
    const closed = await closedPort();
    try {
      const kubeconfig = (port: number) =>
        stringify({
          'current-context': 'x',
          clusters: [
            {
              name: 'x',
              cluster: {
                server: `https://127.0.0.1:${port}`,
                'certificate-authority-data': Buffer.from(tls.caPem).toString('base64'),
              },
            },
          ],
          users: [{ name: 'u', user: { token: 'anything' } }],
          contexts: [{ name: 'x', context: { cluster: 'x', user: 'u' } }],
        });
      const answers = [];
      for (const port of [closed, open]) {
        const err = await failure(
          service.importFromKubeconfig(alice, { kubeconfig: kubeconfig(port), name: `p${port}` }),
        );
        answers.push({ code: err.code, reason: err.reason, message: err.message });
      }
      expect(answers[0]).to.deep.equal({
        code: 'UPSTREAM_UNAVAILABLE',
        reason: 'endpoint_unreachable',
        message: 'cannot reach endpoint',
      });
      expect(answers[1]).to.deep.equal(answers[0]);
      // A direct import stores the cluster; its health reads the same for both.
      const healths = [];
      for (const port of [closed, open]) {
        const summary = await service.importDirect(alice, {
          name: `d${port}`,
          endpoint: `https://127.0.0.1:${port}`,
          caPem: tls.caPem,
          impersonatorToken: 'i',
          managerToken: 'm',
        });
        healths.push({ state: summary.health.state, message: summary.health.message });
      }
      expect(healths[0]).to.deep.equal({ state: 'unavailable', message: 'cannot reach endpoint' });
      expect(healths[1]).to.deep.equal(healths[0]);
      // The detail is in the log, with the request id.
      const logged = logger.lines.find((l) => l.msg?.includes('could not be reached'));
      expect(logged?.obj).to.include({ reqId: 'req-u-alice' });
    } finally {
      await new Promise<void>((r) => web.close(() => r()));
    }
  });

  it('refuses an endpoint in a denied network before dialling or storing anything', async () => {
    const err = await failure(
      service.importDirect(alice, {
        id: 'c-meta',
        name: 'Metadata',
        endpoint: 'https://169.254.169.254',
        impersonatorToken: 'i',
        managerToken: 'm',
      }),
    );
    expect(err).to.include({ code: 'FORBIDDEN', reason: 'outbound_denied' });
    expect(await registry.get('c-meta')).to.equal(undefined);
    denied = `${DEFAULT_OUTBOUND_DENIED_NETWORKS}, 127.0.0.0/8`;
    await service.createPendingImport(alice, { id: 'c-loop', name: 'Loop' });
    expect(await failure(complete(alice, 'c-loop'))).to.include({ reason: 'outbound_denied' });
    expect(api.requests).to.deep.equal([]);
  });
});
