// Runs the real Helm 3 binary (unpacked by scripts/helm-binary.ts) with its own cache, config
// and data directories, so tests never read or write the user's Helm state.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmBinary } from '../../scripts/helm-binary.js';

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface HelmCli {
  readonly home: string;
  readonly binary: string;
  /** Runs `helm <args>`; `kubeconfig` is passed with `--kubeconfig` when given. */
  run(
    args: readonly string[],
    options?: { kubeconfig?: string; timeoutMs?: number },
  ): Promise<HelmResult>;
  /** Like `run`, but fails the test with Helm's stderr when it exits non-zero. */
  ok(
    args: readonly string[],
    options?: { kubeconfig?: string; timeoutMs?: number },
  ): Promise<string>;
  remove(): Promise<void>;
}

export async function helmCli(): Promise<HelmCli> {
  const binary = await helmBinary();
  const home = await mkdtemp(join(tmpdir(), 'paddock-helm-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  const run: HelmCli['run'] = (args, options = {}) =>
    new Promise((resolve) => {
      const full =
        options.kubeconfig === undefined ? args : [...args, '--kubeconfig', options.kubeconfig];
      execFile(
        binary,
        full,
        { env, cwd: home, timeout: options.timeoutMs ?? 90_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? ((err as { code?: unknown }).code ?? 1) : 0;
          resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
        },
      );
    });
  return {
    home,
    binary,
    run,
    async ok(args, options) {
      const r = await run(args, options);
      if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}
