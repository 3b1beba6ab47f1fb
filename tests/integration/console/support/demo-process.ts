/** `npm run demo` as a child process on a random port, stopped with SIGTERM. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';
import { repoRoot } from '../../../support/repo-root.js';
import { makeTempDir } from '../../../support/temp-dir.js';
import { waitFor } from '../../../support/wait-for.js';

export interface DemoState {
  readonly paddockUrl: string;
  readonly consoleUrl: string;
  readonly admin: { readonly username: string; readonly password: string };
  readonly viewer: { readonly username: string; readonly password: string };
  readonly clusters: readonly { readonly id: string }[];
  /** kubesim's fault-injection endpoint. */
  readonly kubesimAdminUrl: string;
}

export interface DemoProcess {
  readonly demo: DemoState;
  /** Everything the demo printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startDemo(clusters = 3): Promise<DemoProcess> {
  const dir = await makeTempDir('console-demo');
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repoRoot(), 'dist/scripts/demo.js'),
      '--clusters',
      String(clusters),
      '--state-dir',
      dir.path,
    ],
    {
      env: { PATH: process.env.PATH ?? '', PADDOCK_PORT: String(port), PADDOCK_BIND: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
    await dir.remove();
  };
  try {
    const demo = await waitFor(
      'the demo to write demo.json',
      async () => {
        if (child.exitCode !== null) throw new Error(`the demo exited: ${output}`);
        return JSON.parse(await readFile(join(dir.path, 'demo.json'), 'utf8')) as DemoState;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    return { demo, output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
