/** The fleet bench's child processes: kubesim (many clusters) and Paddock (`paddock-child`). */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface SimState {
  readonly adminUrl: string;
  readonly clusters: {
    name: string;
    url: string;
    caFile: string;
    caPem: string;
    adminToken: string;
  }[];
}

export interface Child {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

async function until(what: string, ok: () => boolean, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (child.exitCode !== null) throw new Error(`${what}: the process exited`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

export async function startKubesim(
  clusters: number,
  seed: string,
  stateDir: string,
): Promise<Child & { state: SimState }> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=6144',
      join(here, '..', '..', 'kubesim', 'cli.js'),
      '--clusters',
      String(clusters),
      '--seed',
      seed,
      '--http2',
      '--state-dir',
      stateDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await until('kubesim', () => /ready/.test(out), child, 600_000);
  const state = JSON.parse(await readFile(join(stateDir, 'kubesim.json'), 'utf8')) as SimState;
  return { process: child, state, stop: stopper(child) };
}

export async function startPaddock(
  stateFile: string,
): Promise<Child & { url: string; pid: number }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', join(here, 'paddock-child.js'), stateFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await until('paddock', () => out.includes('\n'), child, 600_000);
  const { url } = JSON.parse(out.split('\n')[0] ?? '{}') as { url: string };
  return { process: child, url, pid: child.pid ?? 0, stop: stopper(child) };
}

/** Resident memory of a process, from /proc. */
export async function rssOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
