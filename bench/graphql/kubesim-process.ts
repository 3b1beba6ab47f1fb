/** kubesim in a child process (its CPU is not the bench's), with its state file read back. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SimCluster {
  readonly name: string;
  readonly url: string;
  readonly caFile: string;
  readonly caPem: string;
  readonly adminToken: string;
}

export interface KubesimProcess {
  readonly clusters: SimCluster[];
  stop(): Promise<void>;
}

export async function startKubesimProcess(
  clusters: number,
  seed: string,
  stateDir: string,
): Promise<KubesimProcess> {
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'kubesim', 'cli.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '--clusters', String(clusters), '--seed', seed, '--state-dir', stateDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 300_000;
  while (!/ready/.test(out)) {
    if (child.exitCode !== null) throw new Error(`kubesim exited: ${out}`);
    if (Date.now() > deadline) throw new Error('kubesim did not start in time');
    await new Promise((r) => setTimeout(r, 50));
  }
  const stateFile = join(stateDir, 'kubesim.json');
  if (!existsSync(stateFile)) throw new Error(`kubesim wrote no ${stateFile}`);
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as { clusters: SimCluster[] };
  return {
    clusters: state.clusters,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
