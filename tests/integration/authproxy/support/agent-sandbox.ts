/**
 * Clusters behind NAT for any Paddock: kubesim runs inside a network namespace whose firewall
 * lets nothing from the host in, and real `paddock agent` processes run beside it. A cluster
 * is imported the agent way through whatever registry the Paddock under test has: a pending
 * agent import, its manifest applied with real kubectl inside the namespace, and the agent
 * started with what its Deployment would mount (the two token Secrets, the agent Secret, the
 * cluster CA) and the in-cluster API server address.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterDescription } from '../../../../kubesim/server/cluster-handle.js';
import { type AgentProcess, startAgentProcess } from '../../../support/agent-process.js';
import { createNetnsSandbox, type NetnsSandbox } from '../../../support/netns.js';
import { waitFor } from '../../../support/wait-for.js';
import { type KubectlResult, writeKubeconfig } from './kubectl.js';

const KUBECTL = '/usr/bin/kubectl';
const kubesimChild = fileURLToPath(
  new URL('../../../support/netns-kubesim-child.js', import.meta.url),
);

/** What an agent import needs of the Paddock under test (its cluster registry). */
export interface AgentImporter {
  createPendingImport(input: { id: string; name: string; transport: 'agent' }): Promise<unknown>;
  importManifest(clusterId: string, context: { baseUrl: string }): Promise<string>;
}

export interface AgentSandbox {
  readonly sandbox: NetnsSandbox;
  readonly clusters: Record<string, ClusterDescription & { port: number }>;
  /** The running agents of each cluster, in start order. */
  readonly agents: Record<string, AgentProcess[]>;
  /** kubectl as kubesim's admin of `cluster`, run inside the namespace. */
  simKubectl(cluster: string, args: readonly string[], input?: string): Promise<KubectlResult>;
  /** A request to the kubesim child (`netns-kubesim-child.ts` lists the operations). */
  call(request: Record<string, unknown>): Promise<unknown>;
  /** A key of a Secret in the cluster's paddock-system, decoded; undefined while missing. */
  secretValue(cluster: string, secret: string, key: string): Promise<string | undefined>;
  /**
   * Imports `cluster` into `importer` the agent way, Paddock being at `paddockUrl` (what the
   * manifest tells the agents to dial), and writes what the agents' pods would mount.
   */
  importCluster(
    importer: AgentImporter,
    cluster: string,
    name: string,
    paddockUrl: string,
  ): Promise<void>;
  /** Starts one more agent as its Deployment would, optionally with another token. */
  startAgent(cluster: string, options?: { token?: string }): Promise<AgentProcess>;
  /** Where `cluster`'s agent files are (`agent/token` is the registration token). */
  mountDir(cluster: string): string;
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

/**
 * A namespace with kubesim serving `clusterNames`; every step that needs undoing is pushed
 * on `cleanups` (run in reverse by the caller's teardown), the namespace's removal first.
 */
export async function startAgentSandbox(
  dir: string,
  clusterNames: readonly string[],
  cleanups: (() => Promise<void> | void)[],
): Promise<AgentSandbox> {
  const sandbox = await createNetnsSandbox();
  cleanups.push(() => sandbox.destroy());

  let simOutput = '';
  const sim = sandbox.spawn(
    process.execPath,
    [kubesimChild, join(dir, 'kubesim'), clusterNames.join(',')],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
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
  const clusters: AgentSandbox['clusters'] = {};
  const adminKubeconfigs: Record<string, string> = {};
  for (const c of described) {
    const port = Number(new URL(c.url).port);
    clusters[c.name] = { ...c, port };
    // kubesim's certificate names 127.0.0.1: inside the namespace, that is kubesim.
    adminKubeconfigs[c.name] = await writeKubeconfig(
      dir,
      `admin-${c.name}`,
      `https://127.0.0.1:${port}`,
      c.caFile,
      c.adminToken,
    );
  }
  const simKubectl = (cluster: string, args: readonly string[], input?: string) =>
    sandbox.exec(
      KUBECTL,
      ['--kubeconfig', adminKubeconfigs[cluster] ?? '', '--request-timeout=20s', ...args],
      input,
    );
  const secretValue = async (cluster: string, secret: string, key: string) => {
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
  const mountDir = (cluster: string) => join(dir, 'mounts', cluster);
  const agents: Record<string, AgentProcess[]> = Object.fromEntries(
    clusterNames.map((n) => [n, []]),
  );
  cleanups.push(async () => {
    for (const a of Object.values(agents).flat()) await a.kill();
  });

  return {
    sandbox,
    clusters,
    agents,
    simKubectl,
    call: (request) => channel.call(request),
    secretValue,
    mountDir,
    async importCluster(importer, cluster, name, paddockUrl) {
      await importer.createPendingImport({ id: cluster, name, transport: 'agent' });
      const manifest = join(dir, `import-${cluster}.yaml`);
      await writeFile(manifest, await importer.importManifest(cluster, { baseUrl: paddockUrl }));
      const applied = await simKubectl(cluster, ['apply', '-f', manifest]);
      if (applied.code !== 0)
        throw new Error(`applying the agent manifest failed: ${applied.stderr}`);
      // What the kubelet would mount into the agent's pod from the Secrets just applied.
      const files = mountDir(cluster);
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
    },
    async startAgent(cluster, options = {}) {
      const files = mountDir(cluster);
      const started = agents[cluster];
      const described = clusters[cluster];
      if (started === undefined || described === undefined)
        throw new Error(`no cluster ${cluster} in the sandbox`);
      let tokenFile = join(files, 'agent', 'token');
      if (options.token !== undefined) {
        tokenFile = join(files, `other-token-${started.length}`);
        await writeFile(tokenFile, options.token);
      }
      const agent = startAgentProcess(sandbox, {
        // What the Deployment sets, and what a pod finds in its environment.
        PADDOCK_AGENT_SERVER: await readFile(join(files, 'agent', 'server'), 'utf8'),
        PADDOCK_AGENT_TOKEN_FILE: tokenFile,
        PADDOCK_AGENT_SERVER_CA_FILE: join(files, 'agent', 'server-ca.crt'),
        PADDOCK_AGENT_IMPERSONATOR_TOKEN_FILE: join(files, 'impersonator', 'token'),
        PADDOCK_AGENT_MANAGER_TOKEN_FILE: join(files, 'manager', 'token'),
        PADDOCK_AGENT_API_CA_FILE: described.caFile,
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(described.port),
        PADDOCK_AGENT_RECONNECT_MIN_MS: '200',
        PADDOCK_AGENT_RECONNECT_MAX_MS: '2000',
      });
      started.push(agent);
      return agent;
    },
  };
}
