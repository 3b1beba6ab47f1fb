/**
 * Runs the Helm CLI against Paddock's own proxy (`<proxy>/k8s/clusters/<id>`) with a token that
 * authenticates as the user the operation is for. Each run gets a private directory (mode
 * 0700) holding its kubeconfig, chart and values, and its own Helm cache/config/data homes, so
 * runs share nothing and leave nothing behind; the token is never on the command line.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  /** Files written into the run's directory first; `{dir}` in `args` is replaced by it. */
  readonly files?: Readonly<Record<string, Buffer | string>>;
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

  constructor(options: {
    binary: () => HelmBinaryStatus | undefined;
    proxy: SelfProxy;
    workDir?: string;
  }) {
    this.#binary = options.binary;
    this.#proxy = options.proxy;
    this.#workDir = options.workDir ?? tmpdir();
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

  kubeconfig(clusterId: string, token: string, caFile: string | undefined): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': clusterId,
      clusters: [
        {
          name: clusterId,
          cluster: {
            server: `${this.#proxy.baseUrl}/k8s/clusters/${encodeURIComponent(clusterId)}`,
            ...(caFile === undefined ? {} : { 'certificate-authority': caFile }),
          },
        },
      ],
      users: [{ name: 'paddock-operation', user: { token } }],
      contexts: [{ name: clusterId, context: { cluster: clusterId, user: 'paddock-operation' } }],
    });
  }

  async run(run: HelmRun): Promise<HelmResult> {
    const binary = this.binaryPath();
    const dir = await mkdtemp(join(this.#workDir, 'paddock-helm-'));
    try {
      let caFile: string | undefined;
      if (this.#proxy.caPem !== undefined) {
        caFile = join(dir, 'paddock-ca.pem');
        await writeFile(caFile, this.#proxy.caPem, { mode: 0o600 });
      }
      const kubeconfig = join(dir, 'kubeconfig');
      await writeFile(kubeconfig, this.kubeconfig(run.clusterId, run.token, caFile), {
        mode: 0o600,
      });
      for (const [name, content] of Object.entries(run.files ?? {})) {
        await writeFile(join(dir, name), content, { mode: 0o600 });
      }
      const args = [...run.args.map((a) => a.replaceAll('{dir}', dir)), '--kubeconfig', kubeconfig];
      return await this.#spawn(binary, args, dir, run);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  #spawn(binary: string, args: string[], dir: string, run: HelmRun): Promise<HelmResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: dir,
          HELM_CACHE_HOME: join(dir, 'cache'),
          HELM_CONFIG_HOME: join(dir, 'config'),
          HELM_DATA_HOME: join(dir, 'data'),
          HELM_KUBETOKEN: '',
        },
      });
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
      child.stdout.on('data', (c: Buffer) => feed('out', c));
      child.stderr.on('data', (c: Buffer) => feed('err', c));
      const kill = () => {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      };
      const timer = setTimeout(kill, run.timeoutMs);
      run.signal?.addEventListener('abort', kill, { once: true });
      child.on('error', (err) => {
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
