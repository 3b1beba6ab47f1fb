// Runs `kubectl port-forward` in the background for a test: resolves once kubectl prints its
// "Forwarding from 127.0.0.1:<port>" line, and collects what it prints until stopped.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { KUBECTL, type Kubectl } from './kubectl.js';

export interface PortForwardProcess {
  localPort: number;
  output(): string;
  /** resolves with kubectl's exit code once it has ended */
  exited: Promise<number>;
  stop(): Promise<number>;
}

export function startPortForward(
  /** A kubeconfig and a scratch directory for kubectl's HOME and cache. */
  kubectl: Pick<Kubectl, 'kubeconfig' | 'dir'>,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<PortForwardProcess> {
  const child: ChildProcess = spawn(KUBECTL, ['port-forward', ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: kubectl.dir,
      KUBECONFIG: kubectl.kubeconfig,
      KUBECACHEDIR: join(kubectl.dir, 'cache'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kubectl port-forward did not start: ${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          localPort: Number(m[1]),
          output: () => out,
          exited,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward exited with ${code}: ${out}`));
    });
  });
}
