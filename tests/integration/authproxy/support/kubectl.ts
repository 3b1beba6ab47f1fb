import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

const KUBECTL = '/usr/bin/kubectl';

/** The real kubectl, or a failure naming the Debian package to install. */
export function requireKubectl(): string {
  if (!existsSync(KUBECTL)) {
    throw new Error(
      'kubectl not found at /usr/bin/kubectl: install it with `apt-get install -y kubectl`',
    );
  }
  return KUBECTL;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A kubeconfig file with one context (the default) pointing at `server` with `token`. */
export async function writeKubeconfig(
  dir: string,
  name: string,
  server: string,
  caFile: string,
  token: string,
): Promise<string> {
  const file = join(dir, `${name}.kubeconfig`);
  await writeFile(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': name,
      clusters: [{ name, cluster: { server, 'certificate-authority': caFile } }],
      users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
    }),
  );
  return file;
}

/**
 * Runs kubectl to completion (asynchronously: kubesim serves from this same process); `env`
 * adds to its environment (e.g. `KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false` for SPDY).
 */
export function kubectl(
  kubeconfig: string,
  args: readonly string[],
  input?: string,
  env: Record<string, string> = {},
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      requireKubectl(),
      ['--kubeconfig', kubeconfig, '--request-timeout=20s', ...args],
      {
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A long-running kubectl (get -w, logs -f) whose output is collected as it arrives. */
export interface KubectlStream {
  readonly child: ChildProcess;
  output(): string;
  exited(): boolean;
  waitFor(pattern: RegExp, ms: number): Promise<void>;
  waitExit(ms: number): Promise<number>;
  stop(): void;
}

export function kubectlStream(
  kubeconfig: string,
  args: readonly string[],
  env: Record<string, string> = {},
): KubectlStream {
  const child = spawn(requireKubectl(), ['--kubeconfig', kubeconfig, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exitCode: number | undefined;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.on('exit', (code) => (exitCode = code ?? 1));
  const poll = async (done: () => boolean, ms: number, what: string) => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; output so far:\n${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    child,
    output: () => out,
    exited: () => exitCode !== undefined,
    waitFor: (pattern, ms) => poll(() => pattern.test(out), ms, String(pattern)),
    async waitExit(ms) {
      await poll(() => exitCode !== undefined, ms, 'kubectl to exit');
      return exitCode ?? 1;
    },
    stop: () => {
      if (exitCode === undefined) child.kill('SIGTERM');
    },
  };
}
