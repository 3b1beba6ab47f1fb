/**
 * `paddock serve` as an operator runs it: the compiled CLI in its own process, in front of
 * kubesim clusters (in this process, so a test can inject faults) imported from a kubeconfig at
 * start. Optionally several replicas on one Redis. The operations tests drive signals, disks
 * and networks against it.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { freePort } from '../../../support/free-port.js';
import { fetchText, type SimpleRequest } from '../../../support/http-client.js';
import { type PaddockProcess, startPaddock } from '../../../support/paddock-process.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { waitFor } from '../../../support/wait-for.js';

export const ADMIN_PASSWORD = 'test-bootstrap-password';

export interface ServedCluster {
  readonly sim: Kubesim;
  /** A kubeconfig with one context per kubesim cluster, as an operator's `$KUBECONFIG`. */
  readonly importKubeconfig: string;
  /** The environment a replica imports them with (`KUBECONFIG`, `PADDOCK_IMPORT_KUBECONFIG`). */
  readonly importEnv: Record<string, string>;
}

/**
 * Starts kubesim with the named clusters (stopped with the fixture) and writes the kubeconfig
 * Paddock imports them from.
 */
export async function startClusters(
  fx: { readonly dir: string; track(stop: () => Promise<unknown>): void },
  names: readonly string[],
): Promise<ServedCluster> {
  const { dir } = fx;
  const sim = await startKubesim({
    clusters: [...names],
    adminPort: false,
    seed: 'demo',
    stateDir: join(dir, 'kubesim'),
    http2: true,
  });
  const importKubeconfig = join(dir, 'import.kubeconfig');
  await writeFile(
    importKubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': names[0],
      clusters: names.map((name) => {
        const c = sim.cluster(name).describe();
        return { name, cluster: { server: c.url, 'certificate-authority': c.caFile } };
      }),
      users: names.map((name) => ({
        name,
        user: { token: sim.cluster(name).describe().adminToken },
      })),
      contexts: names.map((name) => ({ name, context: { cluster: name, user: name } })),
    }),
  );
  fx.track(() => sim.stop());
  return {
    sim,
    importKubeconfig,
    importEnv: { KUBECONFIG: importKubeconfig, PADDOCK_IMPORT_KUBECONFIG: 'true' },
  };
}

export interface ServedReplica {
  readonly name: string;
  readonly process: PaddockProcess;
  readonly url: string;
  readonly caPem: string | undefined;
  readonly dataDir: string;
  request(path: string, options?: SimpleRequest): ReturnType<typeof fetchText>;
  login(username?: string, password?: string): Promise<string>;
  graphql(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }>;
}

/** Keys replicas sharing one Redis must share. */
export function sharedKeys(): Record<string, string> {
  return {
    PADDOCK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PADDOCK_API_KEY_PEPPER: randomBytes(32).toString('base64'),
  };
}

/** Starts one `paddock serve` replica and waits until it is ready. */
export async function startReplica(options: {
  name: string;
  dir: string;
  env: Record<string, string>;
  port?: number;
  /** Wait for /readyz to answer 200 (default true). */
  waitReady?: boolean;
  /** Another build's entry point (the previous release). */
  mainJs?: string;
}): Promise<ServedReplica> {
  const port = options.port ?? (await freePort());
  const dataDir = options.env.PADDOCK_DATA_DIR ?? join(options.dir, `data-${options.name}`);
  const process = await startPaddock({
    port,
    dataDir,
    env: { ...options.env, PADDOCK_DATA_DIR: dataDir },
    ...(options.mainJs === undefined ? {} : { mainJs: options.mainJs }),
  });
  const replica = replicaOf(options.name, process, dataDir);
  if (options.waitReady !== false) {
    await waitFor(
      `${options.name} ready`,
      async () => ((await replica.request('/readyz')).status === 200 ? true : undefined),
      { timeoutMs: 20_000 },
    );
  }
  return replica;
}

function replicaOf(name: string, process: PaddockProcess, dataDir: string): ServedReplica {
  const request = (path: string, options: SimpleRequest = {}) =>
    fetchText(`${process.url}${path}`, {
      ...options,
      ...(process.caPem === undefined ? {} : { ca: process.caPem }),
    });
  const replica: ServedReplica = {
    name,
    process,
    url: process.url,
    caPem: process.caPem,
    dataDir,
    request,
    async login(username = 'admin', password = ADMIN_PASSWORD) {
      const res = await request('/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login on ${name}: ${res.status} ${res.body}`);
      return (JSON.parse(res.body) as { token: string }).token;
    },
    async graphql(token, query, variables = {}) {
      const res = await request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return JSON.parse(res.body);
    },
  };
  return replica;
}

/** A temp dir plus clusters; `stop` undoes everything started through `track`. */
export async function opsFixture(prefix: string): Promise<{
  dir: string;
  track(stop: () => Promise<unknown>): void;
  stop(): Promise<void>;
}> {
  const tmp = await makeTempDir(prefix);
  const stops: (() => Promise<unknown>)[] = [() => tmp.remove()];
  return {
    dir: tmp.path,
    track: (stop) => {
      stops.push(stop);
    },
    async stop() {
      for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
    },
  };
}
