/**
 * Paddock in front of two kubesim clusters it cannot dial: kubesim runs inside a network
 * namespace whose firewall lets nothing from the host in, and the real `paddock agent`
 * processes run beside it, dialling Paddock on the host's end of the veth pair. Both clusters
 * are imported the agent way: a pending agent import, its manifest applied with real kubectl
 * inside the namespace, the agent started with what its Deployment would mount (the two token
 * Secrets, the agent Secret, the cluster CA) and the in-cluster API server address. Paddock
 * is the same real server, proxy, identity module and registry as in `paddock-with-kubesim`.
 * Cluster `one` has two agent replicas, `two` one.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { FaultSettings } from '../../../../kubesim/faults/faults.js';
import { createK8sProxy, type K8sProxy } from '../../../../src/authproxy/index.js';
import {
  type AgentConnectRoute,
  createAgentConnectRoute,
  DatasourceClusterRegistry,
  TunnelHub,
} from '../../../../src/datasources/index.js';
import type { ProxyAuditEvent } from '../../../../src/domain/audit.js';
import { AesGcmSecretBox, createIdentityServices } from '../../../../src/identity/index.js';
import { createHttpMetrics } from '../../../../src/server/http-metrics.js';
import { createPaddockServer, type PaddockServer } from '../../../../src/server/paddock-server.js';
import type { AgentProcess } from '../../../support/agent-process.js';
import { MemoryStore } from '../../../support/memory-store.js';
import type { NetnsSandbox } from '../../../support/netns.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { createTestCa } from '../../../support/test-ca.js';
import { waitFor } from '../../../support/wait-for.js';
import { createTestLogger, type LogLine } from '../../../unit/datasources/support/test-logger.js';
import { startAgentSandbox } from './agent-sandbox.js';
import { addKubeconfigUser } from './kubeconfig-user.js';
import { type KubectlResult } from './kubectl.js';
import type { KubectlSuiteTarget, SimObject } from './paddock-with-kubesim.js';

type ClusterName = 'one' | 'two';

export interface PaddockWithAgentKubesim extends KubectlSuiteTarget {
  readonly transport: 'agent';
  readonly url: string;
  readonly sandbox: NetnsSandbox;
  readonly tunnels: TunnelHub;
  readonly proxy: K8sProxy;
  readonly logs: LogLine[];
  readonly metrics: Registry;
  /** kubesim's ports; it listens on every address of the namespace, none of the host's. */
  readonly simPorts: Record<ClusterName, number>;
  /** The running agents of each cluster, in start order. */
  readonly agents: Record<ClusterName, AgentProcess[]>;
  /** Starts one more agent as its Deployment would, optionally with another token. */
  startAgent(cluster: ClusterName, options?: { token?: string }): Promise<AgentProcess>;
  /** kubectl as kubesim's admin of `cluster`, run inside the namespace. */
  simKubectl(cluster: ClusterName, args: readonly string[], input?: string): Promise<KubectlResult>;
  /** The registration token in the cluster's `paddock-agent` Secret right now. */
  agentTokenInCluster(cluster: ClusterName): Promise<string>;
}

export async function startPaddockWithAgentKubesim(): Promise<PaddockWithAgentKubesim> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    return await start(cleanups, cleanup);
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function start(
  cleanups: (() => Promise<void> | void)[],
  cleanup: () => Promise<void>,
): Promise<PaddockWithAgentKubesim> {
  const tmp = await makeTempDir('agent-it');
  cleanups.push(() => tmp.remove());
  const dir = tmp.path;
  const nat = await startAgentSandbox(dir, ['one', 'two'], cleanups);
  const { sandbox, clusters, simKubectl } = nat;
  const agents = nat.agents as Record<ClusterName, AgentProcess[]>;

  // -- on the host: Paddock ------------------------------------------------------------------
  const store = new MemoryStore();
  const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 9));
  const logger = createTestLogger();
  const identity = createIdentityServices({
    store,
    secretBox,
    apiKeyPepper: Buffer.alloc(32, 3),
    issuer: 'https://paddock.test',
    hasAnyMembership: async () => true,
  });
  await identity.start();
  cleanups.push(() => identity.close());
  const ca = await createTestCa(dir, 'paddock');
  const cert = await ca.issueServerCert('paddock', {
    dns: ['localhost'],
    ips: [sandbox.hostAddress, '127.0.0.1'],
  });
  const keyPem = await readFile(cert.keyPath, 'utf8');
  const tunnels = new TunnelHub();
  const registry = new DatasourceClusterRegistry({
    store,
    secretBox,
    logger,
    tunnels,
    probeIntervalMs: 2_000,
    probeTimeoutMs: 3_000,
    agentManifest: { image: 'paddock:test', serverCaPem: ca.caPem },
  });
  registry.start();
  cleanups.push(() => registry.stop());
  const agentConnect: AgentConnectRoute = createAgentConnectRoute({
    registrar: registry,
    hub: tunnels,
    logger,
    pingIntervalMs: 2_000,
    pingTimeoutMs: 3_000,
  });
  cleanups.push(() => agentConnect.close());
  const audit: ProxyAuditEvent[] = [];
  const metrics = new Registry();
  const proxy = createK8sProxy({
    authenticator: identity.authenticator,
    clusters: registry,
    logger,
    metricsRegistry: metrics,
    auditSink: { write: (e) => audit.push(e) },
    recheckIntervalMs: 500,
  });
  cleanups.push(() => proxy.close());
  const server: PaddockServer = createPaddockServer({
    routes: [proxy.route, agentConnect],
    logger,
    metrics: createHttpMetrics(),
    tls: { certPem: cert.certPem, keyPem, caPem: ca.caPem, origin: 'configured' },
  });
  const address: AddressInfo = await server.listen(0, sandbox.hostAddress);
  cleanups.push(() => server.shutdown(200));
  const url = `https://${sandbox.hostAddress}:${address.port}`;

  // -- the agent imports -------------------------------------------------------------------
  for (const cluster of ['one', 'two'] as const)
    await nat.importCluster(registry, cluster, cluster === 'one' ? 'One' : 'Two', url);
  await nat.startAgent('one');
  await nat.startAgent('one');
  await nat.startAgent('two');
  for (const cluster of ['one', 'two'] as const) {
    await waitFor(
      `cluster ${cluster} active through ${agents[cluster].length} agent(s)`,
      async () => {
        const summary = await registry.get(cluster);
        return summary?.health.state === 'active' &&
          tunnels.health(cluster).sessions === agents[cluster].length
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    ).catch((err: Error) => {
      const outputs = agents[cluster].map((a) => a.output()).join('\n---\n');
      throw new Error(`${err.message}\nagent output:\n${outputs}`);
    });
  }

  const paddockCa = join(dir, 'paddock-ca.pem');
  await writeFile(paddockCa, ca.caPem);
  return {
    transport: 'agent',
    dir,
    url,
    sandbox,
    tunnels,
    identity,
    registry,
    proxy,
    audit,
    logs: logger.lines,
    metrics,
    clusterIds: { one: 'one', two: 'two' },
    simPorts: { one: clusters.one?.port ?? 0, two: clusters.two?.port ?? 0 },
    agents,
    startAgent: (cluster, options) => nat.startAgent(cluster, options),
    simKubectl,
    adminKubectl: (args, input) => simKubectl('one', args, input),
    async agentTokenInCluster(cluster) {
      return (await nat.secretValue(cluster, 'paddock-agent', 'token')) ?? '';
    },
    async listObjects(cluster, resource, namespace) {
      return (await nat.call({ op: 'list', cluster, resource, namespace })) as SimObject[];
    },
    async setFaults(cluster, faults: FaultSettings) {
      await nat.call({ op: 'setFaults', cluster, faults });
    },
    async clearFaults(cluster) {
      await nat.call({ op: 'clearFaults', cluster });
    },
    addUser: (name, options = {}) =>
      addKubeconfigUser(
        identity,
        { dir, paddockUrl: url, paddockCaFile: paddockCa },
        name,
        options,
      ),
    stop: cleanup,
  };
}
