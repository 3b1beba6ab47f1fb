import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * Process plumbing shared by the slapd and Samba AD fixtures: finding binaries (with the apt
 * command to install them), free ports, polling with a deadline, and stopping children both in
 * an orderly way and, as a last resort, when the process exits.
 */

const searchPath = [
  ...(process.env.PATH ?? '').split(delimiter),
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

/** Absolute path of `name`, or an error naming the Debian packages that provide it. */
export function requireBinary(name: string, debianPackages: string): string {
  for (const dir of searchPath) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `${name} not found: install it with \`DEBIAN_FRONTEND=noninteractive apt-get install -y ${debianPackages}\``,
  );
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `check` until it returns true or the deadline passes; `failed` aborts early. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; failed?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const failure = options.failed?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${options.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, env: options.env },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`),
          );
        } else {
          resolve(stdout);
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A long-running child whose output is kept for error messages. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  output(): string;
  exited(): string | undefined;
  stop(): Promise<void>;
}

const cleanups = new Set<() => void>();
process.once('exit', () => {
  for (const cleanup of cleanups) cleanup();
});

/** Makes sure `cleanup` runs when the test process exits, even if no after hook ran. */
export function onProcessExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Spawns a service; it is killed (and `dir` removed) at process exit if not stopped before. */
export function startService(file: string, args: readonly string[], dir: string): ServiceProcess {
  const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let exit: string | undefined;
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (err) => {
    exit = `failed to start: ${err.message}`;
  });
  child.once('exit', (code, signal) => {
    exit = `exited with ${signal ?? code}\n${log}`;
  });
  const forget = onProcessExit(() => {
    if (exit === undefined) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    child,
    output: () => log,
    exited: () => exit,
    async stop() {
      if (exit === undefined) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
      forget();
    },
  };
}
