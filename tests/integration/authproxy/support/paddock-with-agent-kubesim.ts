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
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import type { FaultSettings } from '../../../../kubesim/faults/faults.js';
import type { ClusterDescription } from '../../../../kubesim/server/cluster-handle.js';
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
import { type AgentProcess, startAgentProcess } from '../../../support/agent-process.js';
import { MemoryStore } from '../../../support/memory-store.js';
import { createNetnsSandbox, type NetnsSandbox } from '../../../support/netns.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { createTestCa } from '../../../support/test-ca.js';
import { waitFor } from '../../../support/wait-for.js';
import { createTestLogger, type LogLine } from '../../../unit/datasources/support/test-logger.js';
import { type KubectlResult, writeKubeconfig } from './kubectl.js';
import type { KubectlSuiteTarget, PaddockUser, SimObject } from './paddock-with-kubesim.js';

const KUBECTL = '/usr/bin/kubectl';
const kubesimChild = fileURLToPath(
  new URL('../../../support/netns-kubesim-child.js', import.meta.url),
);

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

/** Talks to the kubesim child over its IPC channel. */
function simChannel(child: ChildProcess) {
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = new Promise<ClusterDescription[]>((resolve, reject) => {
    child.on('message', (raw) => {
      const m = raw as {
        ready?: ClusterDescription[];
        id?: number;
        result?: unknown;
        error?: string;
      };
      if (m.ready !== undefined) {
        resolve(m.ready);
        return;
      }
      const waiting = m.id === undefined ? undefined : pending.get(m.id);
      if (waiting === undefined) return;
      pending.delete(m.id as number);
      if (m.error !== undefined) waiting.reject(new Error(m.error));
      else waiting.resolve(m.result);
    });
    child.once('exit', (code) => reject(new Error(`kubesim in the namespace exited with ${code}`)));
  });
  return {
    ready,
    call(request: Record<string, unknown>): Promise<unknown> {
      next += 1;
      const id = next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, ...request });
      });
    },
  };
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
  const sandbox = await createNetnsSandbox();
  cleanups.push(() => sandbox.destroy());

  // -- inside the namespace: kubesim -------------------------------------------------------
  let simOutput = '';
  const sim = sandbox.spawn(process.execPath, [kubesimChild, join(dir, 'kubesim'), 'one,two'], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  sim.stdout?.on('data', (c: Buffer) => {
    simOutput += c.toString();
  });
  sim.stderr?.on('data', (c: Buffer) => {
    simOutput += c.toString();
  });
  cleanups.push(() => {
    if (sim.connected) sim.disconnect();
    sim.kill('SIGKILL');
  });
  const channel = simChannel(sim);
  const described = await channel.ready.catch((err: Error) => {
    throw new Error(`${err.message}: ${simOutput}`);
  });
  const clusters = {} as Record<ClusterName, ClusterDescription & { port: number }>;
  const adminKubeconfigs = {} as Record<ClusterName, string>;
  for (const c of described) {
    const name = c.name as ClusterName;
    const port = Number(new URL(c.url).port);
    clusters[name] = { ...c, port };
    // kubesim's certificate names 127.0.0.1: inside the namespace, that is kubesim.
    adminKubeconfigs[name] = await writeKubeconfig(
      dir,
      `admin-${name}`,
      `https://127.0.0.1:${port}`,
      c.caFile,
      c.adminToken,
    );
  }
  const simKubectl = (cluster: ClusterName, args: readonly string[], input?: string) =>
    sandbox.exec(
      KUBECTL,
      ['--kubeconfig', adminKubeconfigs[cluster], '--request-timeout=20s', ...args],
      input,
    );

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
  const mounts = (cluster: ClusterName) => join(dir, 'mounts', cluster);
  const secretValue = async (cluster: ClusterName, secret: string, key: string) => {
    const jsonKey = key.replace(/\./g, '\\.');
    const r = await simKubectl(cluster, [
      'get',
      'secret',
      '-n',
      'paddock-system',
      secret,
      '-o',
      `jsonpath={.data.${jsonKey}}`,
    ]);
    return r.code === 0 && r.stdout !== '' ? Buffer.from(r.stdout, 'base64').toString() : undefined;
  };
  const agents: Record<ClusterName, AgentProcess[]> = { one: [], two: [] };
  cleanups.push(async () => {
    for (const a of [...agents.one, ...agents.two]) await a.kill();
  });
  const startAgent = async (cluster: ClusterName, options: { token?: string } = {}) => {
    const files = mounts(cluster);
    let tokenFile = join(files, 'agent', 'token');
    if (options.token !== undefined) {
      tokenFile = join(files, `other-token-${agents[cluster].length}`);
      await writeFile(tokenFile, options.token);
    }
    const agent = startAgentProcess(sandbox, {
      // What the Deployment sets, and what a pod finds in its environment.
      PADDOCK_AGENT_SERVER: await readFile(join(files, 'agent', 'server'), 'utf8'),
      PADDOCK_AGENT_TOKEN_FILE: tokenFile,
      PADDOCK_AGENT_SERVER_CA_FILE: join(files, 'agent', 'server-ca.crt'),
      PADDOCK_AGENT_IMPERSONATOR_TOKEN_FILE: join(files, 'impersonator', 'token'),
      PADDOCK_AGENT_MANAGER_TOKEN_FILE: join(files, 'manager', 'token'),
      PADDOCK_AGENT_API_CA_FILE: clusters[cluster].caFile,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(clusters[cluster].port),
      PADDOCK_AGENT_RECONNECT_MIN_MS: '200',
      PADDOCK_AGENT_RECONNECT_MAX_MS: '2000',
    });
    agents[cluster].push(agent);
    return agent;
  };
  for (const cluster of ['one', 'two'] as const) {
    await registry.createPendingImport({
      id: cluster,
      name: cluster === 'one' ? 'One' : 'Two',
      transport: 'agent',
    });
    const manifest = join(dir, `import-${cluster}.yaml`);
    await writeFile(manifest, await registry.importManifest(cluster, { baseUrl: url }));
    const applied = await simKubectl(cluster, ['apply', '-f', manifest]);
    if (applied.code !== 0)
      throw new Error(`applying the agent manifest failed: ${applied.stderr}`);
    // What the kubelet would mount into the agent's pod from the Secrets just applied.
    const files = mounts(cluster);
    for (const [secret, key, path] of [
      ['paddock-impersonator-token', 'token', 'impersonator/token'],
      ['paddock-manager-token', 'token', 'manager/token'],
      ['paddock-agent', 'token', 'agent/token'],
      ['paddock-agent', 'server', 'agent/server'],
      ['paddock-agent', 'server-ca.crt', 'agent/server-ca.crt'],
    ] as const) {
      const value = await waitFor(`${secret}/${key} in cluster ${cluster}`, () =>
        secretValue(cluster, secret, key),
      );
      await mkdir(join(files, path, '..'), { recursive: true });
      await writeFile(join(files, path), value);
    }
  }
  await startAgent('one');
  await startAgent('one');
  await startAgent('two');
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
    simPorts: { one: clusters.one.port, two: clusters.two.port },
    agents,
    startAgent,
    simKubectl,
    adminKubectl: (args, input) => simKubectl('one', args, input),
    async agentTokenInCluster(cluster) {
      return (await secretValue(cluster, 'paddock-agent', 'token')) ?? '';
    },
    async listObjects(cluster, resource, namespace) {
      return (await channel.call({ op: 'list', cluster, resource, namespace })) as SimObject[];
    },
    async setFaults(cluster, faults: FaultSettings) {
      await channel.call({ op: 'setFaults', cluster, faults });
    },
    async clearFaults(cluster) {
      await channel.call({ op: 'clearFaults', cluster });
    },
    async addUser(name, options = {}): Promise<PaddockUser> {
      const user = await identity.users.create({
        username: name,
        provider: 'local',
        groups: (options.groups ?? []).map((id) => ({
          id,
          provider: 'openldap' as const,
          kind: 'group' as const,
          name: id,
        })),
      });
      const created = await identity.apiKeys.create({
        userId: user.id,
        kind: 'kubeconfig',
        ...(options.clusterScope === undefined ? {} : { clusterId: options.clusterScope }),
      });
      const cluster = options.cluster ?? 'one';
      const kubeconfig = await writeKubeconfig(
        dir,
        `${name}-${cluster}`,
        `${url}/k8s/clusters/${cluster}`,
        paddockCa,
        created.token,
      );
      return { userId: user.id, token: created.token, keyId: created.key.keyId, kubeconfig };
    },
    stop: cleanup,
  };
}
