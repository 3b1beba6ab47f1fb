/**
 * Runs the Helm CLI against Paddock's own proxy (`<proxy>/k8s/clusters/<id>`) with a token that
 * authenticates as the user the operation is for. Each run gets a private directory (mode
 * 0700) holding only its kubeconfig, removed when the run ends; values go through standard
 * input, and the token is never on a command line. What is kept between runs holds no secret:
 * chart archives by digest, and per cluster a home with client-go's discovery cache
 * (discovery is the same for every user; without it each run would first read the whole API
 * surface, which `helm` on a laptop does only once) and Helm's own empty cache/config homes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PaddockError } from '../../errors/index.js';
import type { HelmBinaryStatus } from './helm-binary.js';

export interface SelfProxy {
  /** Paddock's own URL as Helm reaches it, e.g. `https://127.0.0.1:8443`. */
  readonly baseUrl: string;
  /** The CA of Paddock's serving certificate; absent to use the system's. */
  readonly caPem?: string;
}

export interface HelmRun {
  readonly args: readonly string[];
  readonly clusterId: string;
  readonly token: string;
  /** The chart archive; `{chart}` in `args` is replaced by its path. */
  readonly chart?: Buffer;
  /** Written to Helm's standard input (values, with `--values -`). */
  readonly stdin?: string;
  readonly onLine?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
}

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const MAX_OUTPUT = 4 * 1024 * 1024;

export class HelmRunner {
  readonly #binary: () => HelmBinaryStatus | undefined;
  readonly #proxy: SelfProxy;
  readonly #workDir: string;
  readonly #cacheDir: string | undefined;
  /** Helm processes still running: a stopping Paddock must not leave one behind. */
  readonly #children = new Set<ChildProcess>();

  constructor(options: {
    binary: () => HelmBinaryStatus | undefined;
    proxy: SelfProxy;
    workDir?: string;
    /** Where each cluster's discovery cache is kept between runs; none when absent. */
    cacheDir?: string;
  }) {
    this.#binary = options.binary;
    this.#proxy = options.proxy;
    this.#workDir = options.workDir ?? tmpdir();
    this.#cacheDir = options.cacheDir;
  }

  async #homeFor(clusterId: string, runDir: string): Promise<string> {
    if (this.#cacheDir === undefined) return runDir;
    const id = createHash('sha256').update(clusterId).digest('hex').slice(0, 16);
    const home = join(this.#cacheDir, id);
    await mkdir(home, { recursive: true, mode: 0o700 });
    return home;
  }

  /** The binary's path, or UPSTREAM_UNAVAILABLE naming why Helm cannot run. */
  binaryPath(): string {
    const status = this.#binary();
    if (status === undefined) {
      throw new PaddockError('UPSTREAM_UNAVAILABLE', 'the Helm binary is still being checked', {
        reason: 'helm_unavailable',
      });
    }
    if (!status.ok) {
      throw new PaddockError('UPSTREAM_UNAVAILABLE', `apps are unavailable: ${status.reason}`, {
        reason: 'helm_unavailable',
      });
    }
    return status.path;
  }

  kubeconfig(clusterId: string, token: string): string {
    const ca = this.#proxy.caPem;
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': clusterId,
      clusters: [
        {
          name: clusterId,
          cluster: {
            server: `${this.#proxy.baseUrl}/k8s/clusters/${encodeURIComponent(clusterId)}`,
            ...(ca === undefined
              ? {}
              : { 'certificate-authority-data': Buffer.from(ca).toString('base64') }),
          },
        },
      ],
      users: [{ name: 'paddock-operation', user: { token } }],
      contexts: [{ name: clusterId, context: { cluster: clusterId, user: 'paddock-operation' } }],
    });
  }

  /** A chart archive on disk: kept by digest in the cache (written once), else in `dir`. */
  async #chartFile(chart: Buffer, dir: string): Promise<string> {
    if (this.#cacheDir === undefined) {
      const file = join(dir, 'chart.tgz');
      await writeFile(file, chart, { mode: 0o600 });
      return file;
    }
    const charts = join(this.#cacheDir, 'charts');
    const file = join(charts, `${createHash('sha256').update(chart).digest('hex')}.tgz`);
    if (!existsSync(file)) {
      await mkdir(charts, { recursive: true, mode: 0o700 });
      const partial = `${file}.${process.pid}.${Date.now()}`;
      await writeFile(partial, chart, { mode: 0o600 });
      await rename(partial, file);
    }
    return file;
  }

  /**
   * Ends every Helm process still running (Paddock is stopping): SIGTERM, then SIGKILL to those
   * still there after `graceMs`. Resolves when all have exited.
   */
  async stopAll(graceMs = 2_000): Promise<void> {
    const children = [...this.#children];
    if (children.length === 0) return;
    const exited = children.map((c) =>
      c.exitCode !== null || c.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => c.once('exit', () => resolve())),
    );
    for (const c of children) c.kill('SIGTERM');
    const late = setTimeout(() => this.killAll(), graceMs);
    try {
      await Promise.all(exited);
    } finally {
      clearTimeout(late);
    }
  }

  /** SIGKILL to every Helm process at once: the last moment of a shutdown that ran out of time. */
  killAll(): void {
    for (const c of this.#children) c.kill('SIGKILL');
  }

  async run(run: HelmRun): Promise<HelmResult> {
    const binary = this.binaryPath();
    const dir = await mkdtemp(join(this.#workDir, 'paddock-helm-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      await writeFile(kubeconfig, this.kubeconfig(run.clusterId, run.token), { mode: 0o600 });
      const chart = run.chart === undefined ? undefined : await this.#chartFile(run.chart, dir);
      const args = [
        ...run.args.map((a) => (a === '{chart}' && chart !== undefined ? chart : a)),
        '--kubeconfig',
        kubeconfig,
      ];
      return await this.#spawn(binary, args, dir, await this.#homeFor(run.clusterId, dir), run);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  #spawn(
    binary: string,
    args: string[],
    dir: string,
    home: string,
    run: HelmRun,
  ): Promise<HelmResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, {
        cwd: dir,
        stdio: [run.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          // Paddock never adds repositories or registry logins: nothing here holds a secret.
          HELM_CACHE_HOME: join(home, 'helm-cache'),
          HELM_CONFIG_HOME: join(home, 'helm-config'),
          HELM_DATA_HOME: join(home, 'helm-data'),
          HELM_KUBETOKEN: '',
        },
      });
      this.#children.add(child);
      child.once('exit', () => this.#children.delete(child));
      if (run.stdin !== undefined) child.stdin?.end(run.stdin);
      let stdout = '';
      let stderr = '';
      const partial = { out: '', err: '' };
      const feed = (which: 'out' | 'err', chunk: Buffer) => {
        const textChunk = chunk.toString('utf8');
        if (which === 'out') stdout = (stdout + textChunk).slice(-MAX_OUTPUT);
        else stderr = (stderr + textChunk).slice(-MAX_OUTPUT);
        const lines = (partial[which] + textChunk).split('\n');
        partial[which] = lines.pop() ?? '';
        for (const line of lines) run.onLine?.(line.replace(/\r$/, ''));
      };
      child.stdout?.on('data', (c: Buffer) => feed('out', c));
      child.stderr?.on('data', (c: Buffer) => feed('err', c));
      const kill = () => {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      };
      const timer = setTimeout(kill, run.timeoutMs);
      run.signal?.addEventListener('abort', kill, { once: true });
      child.on('error', (err) => {
        this.#children.delete(child);
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', kill);
        for (const which of ['out', 'err'] as const) {
          if (partial[which] !== '') run.onLine?.(partial[which]);
        }
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
  }
}
