/**
 * A real `paddock serve` process (embedded store, generated TLS) with the clusters of a
 * kubesim imported from a kubeconfig at start, logged in as the bootstrap admin: the target
 * the attack tests of the trust issue run against.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../../kubesim/index.js';
import { freePort } from '../../../support/free-port.js';
import { fetchText, type SimpleResponse } from '../../../support/http-client.js';
import { type PaddockProcess, startPaddock } from '../../../support/paddock-process.js';
import { makeTempDir } from '../../../support/temp-dir.js';

export const ADMIN_PASSWORD = 'test-bootstrap-password';

export interface GraphQLAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are read loosely in tests
  readonly data: any;
  readonly errors:
    | { message: string; extensions?: { code?: string; reason?: string } }[]
    | undefined;
}

export interface LoginOptions {
  /** Default `local`. */
  readonly provider?: string;
  /** Source address of the connection, e.g. `127.0.0.7`. */
  readonly localAddress?: string;
}

export interface RunningPaddock {
  readonly dir: string;
  readonly paddock: PaddockProcess;
  readonly sim: Kubesim | undefined;
  /** A session token of the bootstrap admin. */
  readonly adminToken: string;
  get(path: string, headers?: Record<string, string>): Promise<SimpleResponse>;
  graphql(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLAnswer>;
  login(username: string, password: string, options?: LoginOptions): Promise<SimpleResponse>;
  /** Writes `text` to a file in the test directory and returns its path. */
  file(name: string, text: string): Promise<string>;
  stop(): Promise<void>;
}

export interface RunningPaddockOptions {
  /** kubesim clusters to import; none starts no kubesim. */
  readonly clusters?: readonly string[];
  readonly env?: Record<string, string>;
  /** Extra keys of the YAML configuration file (e.g. an `auth:` section). */
  readonly configFile?: Record<string, unknown>;
  readonly port?: number;
}

export async function startRunningPaddock(
  options: RunningPaddockOptions = {},
): Promise<RunningPaddock> {
  const tmp = await makeTempDir('hardening');
  const dir = tmp.path;
  const clusters = options.clusters ?? [];
  let sim: Kubesim | undefined;
  let paddock: PaddockProcess | undefined;
  try {
    const env: Record<string, string> = { ...options.env };
    if (clusters.length > 0) {
      sim = await startKubesim({
        clusters: [...clusters],
        adminPort: false,
        seed: 'demo',
        stateDir: join(dir, 'sim'),
      });
      const source = join(dir, 'admin.kubeconfig');
      await writeFile(source, adminKubeconfig(sim));
      env.PADDOCK_IMPORT_KUBECONFIG = 'true';
      env.KUBECONFIG = source;
    }
    if (options.configFile !== undefined) {
      const config = join(dir, 'paddock.yaml');
      await writeFile(config, stringify(options.configFile));
      env.PADDOCK_CONFIG = config;
    }
    paddock = await startPaddock({
      port: options.port ?? (await freePort()),
      dataDir: join(dir, 'data'),
      env,
    });
  } catch (err) {
    await paddock?.stop();
    await sim?.stop();
    await tmp.remove();
    throw err;
  }
  const running = paddock;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetchText(`${running.url}${path}`, { headers, ca: running.caPem });
  const login = (username: string, password: string, options: LoginOptions = {}) =>
    fetchText(`${running.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: options.provider ?? 'local', username, password }),
      ca: running.caPem,
      ...(options.localAddress === undefined
        ? {}
        : { localAddress: options.localAddress, agent: false as const }),
    });
  const admin = await login('admin', ADMIN_PASSWORD);
  if (admin.status !== 200) throw new Error(`admin login failed: ${admin.status} ${admin.body}`);
  return {
    dir,
    paddock: running,
    sim,
    adminToken: JSON.parse(admin.body).token,
    get,
    login,
    async graphql(token, query, variables) {
      const res = await fetchText(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        ca: running.caPem,
      });
      const json = JSON.parse(res.body);
      return { status: res.status, data: json.data, errors: json.errors };
    },
    async file(name, text) {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
    async stop() {
      await running.stop();
      await sim?.stop();
      await tmp.remove();
    },
  };
}

function adminKubeconfig(sim: Kubesim): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': sim.clusters[0]?.name,
    clusters: sim.clusters.map((c) => ({
      name: c.name,
      cluster: { server: c.url, 'certificate-authority': c.caFile },
    })),
    users: sim.clusters.map((c) => ({ name: `admin-${c.name}`, user: { token: c.adminToken } })),
    contexts: sim.clusters.map((c) => ({
      name: c.name,
      context: { cluster: c.name, user: `admin-${c.name}` },
    })),
  });
}

/** Runs the real kubectl with a kubeconfig; `out` is stdout and stderr together. */
export function kubectl(
  kubeconfig: string,
  args: string[],
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/kubectl',
      ['--kubeconfig', kubeconfig, '--request-timeout=20s', ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, out: stdout + stderr });
      },
    );
  });
}
