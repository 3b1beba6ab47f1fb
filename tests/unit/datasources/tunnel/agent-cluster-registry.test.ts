import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { DatasourceClusterRegistry } from '../../../../src/datasources/cluster-registry.js';
import { callCluster } from '../../../../src/datasources/cluster-request.js';
import { createOutboundGuard } from '../../../../src/datasources/outbound-guard.js';
import { TunnelHub } from '../../../../src/datasources/tunnel/tunnel-hub.js';
import { AesGcmSecretBox } from '../../../../src/identity/secret-box.js';
import { MemoryStore } from '../../../support/memory-store.js';
import { waitFor } from '../../../support/wait-for.js';
import {
  type FakeApiServer,
  healthyCluster,
  startFakeApiServer,
} from '../support/fake-api-server.js';
import { createTestLogger } from '../support/test-logger.js';
import { startTunnelBed, type TunnelBed } from './support/tunnel-bed.js';

const box = new AesGcmSecretBox(Buffer.alloc(32, 7));
type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string };
  stringData?: Record<string, string>;
  spec?: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
};

describe('DatasourceClusterRegistry with agent clusters', function () {
  this.timeout(20_000);
  let api: FakeApiServer;
  let store: MemoryStore;
  let hub: TunnelHub;
  let registry: DatasourceClusterRegistry;
  let bed: TunnelBed;

  beforeEach(async () => {
    api = await startFakeApiServer();
    healthyCluster(api);
    store = new MemoryStore();
    hub = new TunnelHub();
    registry = new DatasourceClusterRegistry({
      store,
      secretBox: box,
      logger: createTestLogger(),
      probeTimeoutMs: 2_000,
      tunnels: hub,
      agentManifest: { image: 'example/paddock:test', serverCaPem: 'PADDOCK-CA' },
      // Loopback is denied: an agent cluster is still reached, since Paddock dials nothing.
      outbound: createOutboundGuard({
        networks: async () => ({ allowed: '', denied: '127.0.0.0/8' }),
      }),
    });
    registry.start();
    bed = await startTunnelBed(api.url, api.caPem, { registrar: registry, hub });
  });

  afterEach(async () => {
    await bed.close();
    await registry.stop();
    await api.close();
  });

  const tokenOf = async (clusterId: string) => {
    const manifest = await registry.importManifest(clusterId, { baseUrl: 'https://paddock.test' });
    const objects = parseAllDocuments(manifest).map((d) => d.toJS() as Obj);
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'paddock-agent');
    return { token: secret?.stringData?.token ?? '', objects };
  };
  const active = (id: string) =>
    waitFor(`${id} active`, async () => {
      const s = await registry.get(id);
      return s?.health.state === 'active' ? s : undefined;
    });

  it('renders an agent import manifest with the registration token, Paddock URL and CA', async () => {
    const pending = await registry.createPendingImport({
      id: 'c-agent',
      name: 'Agent',
      transport: 'agent',
    });
    expect(pending).to.include({ transport: 'agent', importMethod: 'manifest' });
    expect(pending.health).to.include({
      state: 'pending',
      message: 'waiting for the agent to connect',
    });
    const { token, objects } = await tokenOf('c-agent');
    expect(token).to.match(/^pdkagent_c-agent_[A-Za-z0-9_-]{43}$/);
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'paddock-agent');
    expect(secret?.stringData).to.deep.include({
      server: 'https://paddock.test',
      'server-ca.crt': 'PADDOCK-CA',
    });
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment?.metadata).to.include({ name: 'paddock-agent', namespace: 'paddock-system' });
    const env = deployment?.spec?.template.spec.containers[0]?.env ?? [];
    expect(env.map((e) => e.name)).to.include('PADDOCK_AGENT_TOKEN_FILE');
    // The token lives only in the Secret, never in the Deployment.
    expect(JSON.stringify(deployment)).not.to.contain(token);
    // The secret is sealed at rest.
    const raw: string[] = [];
    for await (const r of store.exportRecords()) raw.push(JSON.stringify(r));
    expect(raw.join('\n')).not.to.contain(token.split('_').at(-1));
  });

  it('asks for the server-url setting when no address for the agent is known', async () => {
    await registry.createPendingImport({ id: 'c-agent', name: 'Agent', transport: 'agent' });
    const err = await registry.importManifest('c-agent').catch((e: unknown) => e);
    expect(err).to.have.property('reason', 'server_url_unknown');
  });

  it('completes the import when the agent connects, and reaches the cluster only through it', async () => {
    await registry.createPendingImport({ id: 'c-agent', name: 'Agent', transport: 'agent' });
    const { token } = await tokenOf('c-agent');
    bed.startAgent({ token });
    const summary = await active('c-agent');
    expect(summary).to.include({ endpoint: api.url, transport: 'agent' });
    expect(summary.health.agent).to.deep.include({
      connected: true,
      sessions: 1,
      version: '9.9.9-test',
    });
    expect(summary.health).to.include({ version: 'v1.31.0-fake', nodesTotal: 2 });
    const manager = await registry.managerConnection('c-agent');
    const nodes = await callCluster(manager!, {
      path: '/api/v1/nodes',
      token: manager!.managerToken,
      timeoutMs: 5_000,
    });
    expect(nodes.status).to.equal(200);
  });

  it('still refuses a direct import of the same loopback endpoint (the guard covers dials)', async () => {
    const err = await registry
      .importDirect({
        id: 'c-direct',
        name: 'Direct',
        endpoint: api.url,
        caPem: api.caPem,
        impersonatorToken: 'imp-token',
        managerToken: 'mgr-token',
      })
      .catch((e: unknown) => e);
    expect(err).to.have.property('reason', 'outbound_denied');
  });

  it('is unavailable with "no agent is connected" when its agent goes, active again when it is back', async () => {
    await registry.createPendingImport({ id: 'c-agent', name: 'Agent', transport: 'agent' });
    const { token } = await tokenOf('c-agent');
    const agent = bed.startAgent({ token });
    await active('c-agent');
    await agent.stop();
    const down = await waitFor('c-agent unavailable', async () => {
      const s = await registry.get('c-agent');
      return s?.health.state === 'unavailable' ? s : undefined;
    });
    expect(down.health.message).to.equal('no agent is connected');
    expect(down.health.agent).to.deep.include({ connected: false, sessions: 0 });
    expect(down.health.agent?.lastSeenAt).to.be.a('number');
    bed.startAgent({ token });
    await active('c-agent');
  });

  it('takes the new tokens an agent reports after the cluster rotated them', async () => {
    await registry.createPendingImport({ id: 'c-agent', name: 'Agent', transport: 'agent' });
    const { token } = await tokenOf('c-agent');
    const agent = bed.startAgent({ token });
    await active('c-agent');
    healthyCluster(api, { imp: 'imp-2', mgr: 'mgr-2' });
    bed.setTokens({ impersonator: 'imp-2', manager: 'mgr-2' });
    await agent.stop();
    bed.startAgent({ token });
    await waitFor('the new manager token', async () =>
      (await registry.managerConnection('c-agent'))?.managerToken === 'mgr-2' ? true : undefined,
    );
    // Back from `unavailable` (no agent) through `degraded`: good probes make it active again.
    await waitFor('active with the new tokens', async () =>
      (await registry.probe('c-agent')).state === 'active' ? true : undefined,
    );
  });

  it('disconnects agents and refuses the old token once the secret is rotated', async () => {
    await registry.createPendingImport({ id: 'c-agent', name: 'Agent', transport: 'agent' });
    const { token } = await tokenOf('c-agent');
    bed.startAgent({ token });
    await active('c-agent');
    await registry.rotateAgentSecret('c-agent');
    await waitFor('the agent disconnected', () => (hub.connected('c-agent') ? undefined : true));
    const [clusterId, secret] = token.replace(/^pdkagent_/, '').split(/_(.*)/s);
    expect(await registry.verifyAgent(clusterId!, secret!)).to.equal(undefined);
    const fresh = (await tokenOf('c-agent')).token;
    expect(fresh).not.to.equal(token);
    bed.startAgent({ token: fresh });
    await waitFor('the agent with the new token', () =>
      hub.connected('c-agent') ? true : undefined,
    );
  });

  it('refuses to complete or re-point an agent cluster by hand', async () => {
    await registry.createPendingImport({ id: 'c-agent', name: 'Agent', transport: 'agent' });
    const err = await registry
      .completeManifestImport('c-agent', {
        endpoint: 'https://10.0.0.1:6443',
        impersonatorToken: 'x',
        managerToken: 'y',
      })
      .catch((e: unknown) => e);
    expect(err).to.have.property('reason', 'agent_cluster');
  });

  it('refuses to rotate the secret of a cluster without an agent', async () => {
    await registry.createPendingImport({ id: 'c-plain', name: 'Plain' });
    const err = await registry.rotateAgentSecret('c-plain').catch((e: unknown) => e);
    expect(err).to.have.property('reason', 'not_agent_cluster');
  });

  it('closes the agent sessions of a removed cluster', async () => {
    await registry.createPendingImport({ id: 'c-agent', name: 'Agent', transport: 'agent' });
    const { token } = await tokenOf('c-agent');
    bed.startAgent({ token });
    await active('c-agent');
    await registry.remove('c-agent');
    await waitFor('the agent disconnected', () => (hub.connected('c-agent') ? undefined : true));
  });
});
