// Runs the real kubectl (/usr/bin/kubectl) against a cluster described like kubesim's
// kubesim.json entries, through a temporary kubeconfig with one context per user.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBECTL = process.env.KUBECTL_BIN ?? '/usr/bin/kubectl';

export interface KubectlClusterInfo {
  name: string;
  url: string;
  caFile: string;
  adminToken: string;
  users: Record<string, { token: string }>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  /** kill kubectl after this many ms (for -w and logs -f) */
  timeoutMs?: number;
  /** resolve as soon as stdout contains this text (then kill kubectl) */
  until?: string | RegExp;
}

/** Fails with an install hint when kubectl is missing, as the tests must never be skipped. */
export function requireKubectl(): void {
  if (!existsSync(KUBECTL)) {
    throw new Error(
      `kubectl not found at ${KUBECTL}: install the Debian package "kubectl" (apt repository pkgs.k8s.io) or "google-cloud-cli-kubectl"`,
    );
  }
}

export class Kubectl {
  readonly dir: string;
  readonly kubeconfig: string;

  constructor(readonly cluster: KubectlClusterInfo) {
    requireKubectl();
    this.dir = mkdtempSync(join(tmpdir(), 'kubectl-'));
    this.kubeconfig = join(this.dir, 'config');
    const users = [
      { name: 'admin', token: cluster.adminToken },
      ...Object.entries(cluster.users).map(([name, u]) => ({
        name: name.replace('/', '-'),
        token: u.token,
      })),
    ];
    const lines = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${cluster.name}`,
      '  cluster:',
      `    server: ${cluster.url}`,
      `    certificate-authority: ${cluster.caFile}`,
      'users:',
      ...users.flatMap((u) => [
        `- name: ${u.name}`,
        '  user:',
        `    token: ${JSON.stringify(u.token)}`,
      ]),
      'contexts:',
      ...users.flatMap((u) => [
        `- name: ${u.name}`,
        '  context:',
        `    cluster: ${cluster.name}`,
        `    user: ${u.name}`,
        '    namespace: default',
      ]),
      'current-context: admin',
      '',
    ];
    writeFileSync(this.kubeconfig, lines.join('\n'));
  }

  /** Runs kubectl with the given arguments; never throws for a non-zero exit. */
  run(args: string[], opts: RunOptions = {}): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(KUBECTL, args, {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: this.dir,
          KUBECONFIG: this.kubeconfig,
          KUBECACHEDIR: join(this.dir, 'cache'),
          ...opts.env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let done = false;
      const finish = (code: number) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, opts.timeoutMs ?? 30_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (
          opts.until &&
          (typeof opts.until === 'string' ? stdout.includes(opts.until) : opts.until.test(stdout))
        ) {
          child.kill('SIGKILL');
        }
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => finish(code ?? -1));
      if (opts.input !== undefined) child.stdin.end(opts.input);
      else child.stdin.end();
    });
  }

  /** Runs as one of the kubeconfig users ("admin", "alice", ...). */
  as(user: string, args: string[], opts: RunOptions = {}): Promise<KubectlResult> {
    return this.run(['--context', user, ...args], opts);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
