import { createServer } from 'node:net';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { DatasourceClusterRegistry } from '../../../src/datasources/cluster-registry.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import { MemoryStore } from '../../support/memory-store.js';
import {
  type FakeApiServer,
  healthyCluster,
  json,
  startFakeApiServer,
} from './support/fake-api-server.js';
import { createTestLogger } from './support/test-logger.js';

const box = new AesGcmSecretBox(Buffer.alloc(32, 7));

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DatasourceClusterRegistry', () => {
  let api: FakeApiServer;
  let store: MemoryStore;
  let registry: DatasourceClusterRegistry;
  let logger: ReturnType<typeof createTestLogger>;

  beforeEach(async () => {
    api = await startFakeApiServer();
    store = new MemoryStore();
    logger = createTestLogger();
    registry = new DatasourceClusterRegistry({
      store,
      secretBox: box,
      logger,
      probeTimeoutMs: 2000,
      sleep: () => new Promise((r) => setImmediate(r)),
    });
  });

  afterEach(async () => {
    await registry.stop();
    await api.close();
  });

  const direct = (extra: object = {}) => ({
    id: 'c-one',
    name: 'One',
    endpoint: api.url,
    caPem: api.caPem,
    impersonatorToken: 'imp-token',
    managerToken: 'mgr-token',
    ...extra,
  });

  it('imports a cluster from endpoint, CA and tokens and reports it active', async () => {
    healthyCluster(api);
    const summary = await registry.importDirect(direct());
    expect(summary.health).to.include({
      state: 'active',
      version: 'v1.31.0-fake',
      nodesTotal: 2,
      nodesReady: 1,
    });
    expect(summary).to.not.have.property('impersonatorToken');
  });

  it('keeps both tokens sealed at rest', async () => {
    healthyCluster(api);
    await registry.importDirect(direct());
    const raw = [];
    for await (const r of store.exportRecords()) raw.push(JSON.stringify(r));
    expect(raw.join('\n')).to.not.contain('imp-token').and.not.contain('mgr-token');
    const conn = await registry.connection('c-one');
    expect(conn?.impersonatorToken).to.equal('imp-token');
  });

  it('refuses a plain-http endpoint so tokens never travel in clear', async () => {
    const err = await registry
      .importDirect(direct({ endpoint: 'http://127.0.0.1:1' }))
      .catch((e) => e);
    expect(err).to.have.property('code', 'VALIDATION_FAILED');
  });

  it('marks a cluster whose certificate does not chain to a trusted CA unavailable, with the TLS detail only in the log', async () => {
    healthyCluster(api);
    // Without a CA the system roots apply, and they do not know the test CA.
    const summary = await registry.importDirect(direct({ caPem: undefined }));
    expect(summary.health.state).to.equal('unavailable');
    expect(summary.health.message).to.equal('cannot reach endpoint');
    const logged = logger.lines.find((l) => l.msg === 'cluster health changed');
    expect(JSON.stringify(logged?.obj)).to.match(/TLS|certificate|SELF_SIGNED|UNABLE/i);
  });

  it('skips certificate verification only when dangerouslySkipTlsVerify is set', async () => {
    healthyCluster(api);
    const summary = await registry.importDirect(
      direct({ caPem: undefined, dangerouslySkipTlsVerify: true }),
    );
    expect(summary.health.state).to.equal('active');
    expect(summary.dangerouslySkipTlsVerify).to.equal(true);
  });

  it('reports unauthorized when the API server refuses the impersonator token', async () => {
    healthyCluster(api, { imp: 'something-else', mgr: 'mgr-token' });
    const summary = await registry.importDirect(direct());
    expect(summary.health.state).to.equal('unauthorized');
  });

  it('reports unavailable when /readyz is not ok', async () => {
    healthyCluster(api);
    api.route('GET /readyz', (_req, res) => json(res, 500, { status: 'not ready' }));
    const summary = await registry.importDirect(direct());
    expect(summary.health.state).to.equal('unavailable');
  });

  it('leaves the circuit to the data path: a probe that finds the cluster down does not open it', async () => {
    const port = await deadPort();
    const summary = await registry.importDirect(direct({ endpoint: `https://127.0.0.1:${port}` }));
    expect(summary.health.state).to.equal('unavailable');
    const conn = await registry.connection('c-one');
    expect(conn?.gate.circuit).to.equal('closed');
    // Calls that cannot reach it do.
    for (let i = 0; i < 3; i++) conn?.gate.recordFailure();
    expect(conn?.gate.circuit).to.equal('open');
    expect(conn?.gate.allowRequest()).to.equal(false);
  });

  it('shows a cluster that answers again as degraded, then active after a second good probe', async () => {
    healthyCluster(api);
    api.route('GET /readyz', (_req, res) => json(res, 503, {}));
    await registry.importDirect(direct());
    expect((await registry.probe('c-one')).state).to.equal('unavailable');
    healthyCluster(api);
    expect((await registry.probe('c-one')).state).to.equal('degraded');
    expect((await registry.probe('c-one')).state).to.equal('active');
  });

  it('returns no connection for an unknown cluster id', async () => {
    expect(await registry.connection('c-nope')).to.equal(undefined);
  });

  it('refuses a second cluster with the same name regardless of case', async () => {
    healthyCluster(api);
    await registry.importDirect(direct());
    const err = await registry.importDirect(direct({ id: 'c-two', name: 'ONE' })).catch((e) => e);
    expect(err).to.have.property('code', 'CONFLICT');
  });

  it('imports a kubeconfig context with its own token when asked to', async () => {
    healthyCluster(api, { imp: 'ctx-token', mgr: 'ctx-token' });
    const kubeconfig = stringify({
      'current-context': 'ctx',
      clusters: [
        {
          name: 'k',
          cluster: {
            server: api.url,
            'certificate-authority-data': Buffer.from(api.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'u', user: { token: 'ctx-token' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'k', user: 'u' } }],
    });
    const summary = await registry.importFromKubeconfig({
      kubeconfig,
      localFiles: 'refuse',
      id: 'c-kube',
      credentials: 'context',
    });
    expect(summary).to.include({ name: 'ctx', importMethod: 'kubeconfig' });
    expect(summary.health.state).to.equal('active');
  });

  it('installs the manifest with a kubeconfig token and keeps only the service-account tokens', async () => {
    healthyCluster(api);
    const created: string[] = [];
    for (const path of [
      '/api/v1/namespaces',
      '/api/v1/namespaces/paddock-system/serviceaccounts',
      '/api/v1/namespaces/paddock-system/secrets',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    ]) {
      api.route(`POST ${path}`, (req, res, body) => {
        expect(req.headers.authorization).to.equal('Bearer admin-token');
        const obj = JSON.parse(body) as { kind: string; metadata: { name: string } };
        created.push(`${obj.kind}/${obj.metadata.name}`);
        // As a real API server: an existing object is a `Status` 409 AlreadyExists.
        if (obj.kind === 'Namespace') {
          json(res, 409, { kind: 'Status', code: 409, reason: 'AlreadyExists' });
        } else json(res, 201, obj);
      });
    }
    let reads = 0;
    const secret = (token: string) => (_req: unknown, res: Parameters<typeof json>[0]) => {
      reads += 1;
      // The token controller fills the Secret a little later: first read has no data.
      if (reads === 1) return json(res, 200, { kind: 'Secret', data: {} });
      json(res, 200, { kind: 'Secret', data: { token: Buffer.from(token).toString('base64') } });
    };
    api.route(
      'GET /api/v1/namespaces/paddock-system/secrets/paddock-impersonator-token',
      secret('imp-token'),
    );
    api.route(
      'GET /api/v1/namespaces/paddock-system/secrets/paddock-manager-token',
      secret('mgr-token'),
    );
    const kubeconfig = stringify({
      'current-context': 'admin@k',
      clusters: [{ name: 'k', cluster: { server: api.url } }],
      users: [{ name: 'admin', user: { token: 'admin-token' } }],
      contexts: [{ name: 'admin@k', context: { cluster: 'k', user: 'admin' } }],
    });
    const summary = await registry.importFromKubeconfig({
      kubeconfig: kubeconfig.replace(
        `server: ${api.url}`,
        `server: ${api.url}\n      certificate-authority-data: ${Buffer.from(api.caPem).toString('base64')}`,
      ),
      localFiles: 'refuse',
      id: 'c-inst',
      name: 'Installed',
    });
    expect(created).to.include.members([
      'Namespace/paddock-system',
      'ServiceAccount/paddock-impersonator',
      'Secret/paddock-manager-token',
      'ClusterRole/paddock-impersonator',
      'ClusterRoleBinding/paddock-manager',
    ]);
    expect(summary.health.state).to.equal('active');
    const conn = await registry.connection('c-inst');
    expect(conn?.impersonatorToken).to.equal('imp-token');
  });

  it('registers a pending manifest import, renders its manifest, then completes it', async () => {
    healthyCluster(api);
    const pending = await registry.createPendingImport({ id: 'c-man', name: 'Manifest' });
    expect(pending.health.state).to.equal('pending');
    const manifest = await registry.importManifest('c-man');
    expect(manifest).to.contain('paddock.io/cluster-id: c-man');
    const err = await registry.connection('c-man').catch((e) => e);
    expect(err).to.have.property('reason', 'cluster_pending');
    const done = await registry.completeManifestImport('c-man', {
      endpoint: api.url,
      caPem: api.caPem,
      impersonatorToken: 'imp-token',
      managerToken: 'mgr-token',
    });
    expect(done).to.include({ importMethod: 'manifest', endpoint: api.url });
    expect(done.health.state).to.equal('active');
  });

  it('answers NOT_FOUND for the manifest of an unknown cluster', async () => {
    const err = await registry.importManifest('c-x').catch((e) => e);
    expect(err).to.have.property('code', 'NOT_FOUND');
  });

  it('persists a health change so other replicas can show it', async () => {
    healthyCluster(api);
    await registry.importDirect(direct());
    const stored = await store
      .collection<{ health?: { state: string } }>({ name: 'clusters' })
      .get('c-one');
    expect(stored?.value.health?.state).to.equal('active');
  });

  it('follows credential changes made by another replica', async () => {
    healthyCluster(api, { imp: 'imp-2', mgr: 'mgr-token' });
    await registry.importDirect(direct());
    registry.start();
    const other = new DatasourceClusterRegistry({
      store,
      secretBox: box,
      logger: createTestLogger(),
    });
    const before = await registry.connection('c-one');
    expect(before?.impersonatorToken).to.equal('imp-token');
    await other.updateConnection('c-one', {
      endpoint: api.url,
      caPem: api.caPem,
      impersonatorToken: 'imp-2',
      managerToken: 'mgr-token',
    });
    await other.stop();
    const deadline = Date.now() + 2000;
    while ((await registry.connection('c-one'))?.impersonatorToken !== 'imp-2') {
      if (Date.now() > deadline) throw new Error('the registry kept the old token');
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  it('forgets a removed cluster', async () => {
    healthyCluster(api);
    await registry.importDirect(direct());
    expect(await registry.remove('c-one')).to.equal(true);
    expect(await registry.connection('c-one')).to.equal(undefined);
    expect(await registry.list()).to.deep.equal([]);
  });
});
