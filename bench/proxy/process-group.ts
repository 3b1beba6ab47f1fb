/**
 * Every process the bench starts, so that all of them stop at the end, on error and on
 * SIGINT/SIGTERM. Children are stopped by their own pid only.
 */
import { type ChildProcess, fork, type SpawnOptions, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  /** Output kept for error messages (last 64 KiB of stdout and stderr). */
  output(): string;
}

export class ProcessGroup {
  readonly #started: Started[] = [];
  #stopping: Promise<void> | undefined;

  /** Starts an executable; its output is kept in memory (bounded) for error messages. */
  spawn(name: string, command: string, args: readonly string[], options: SpawnOptions = {}) {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    return this.#track(name, child);
  }

  /**
   * Starts a Node.js module with an IPC channel. With `logFile`, its stdout goes straight to
   * that file (as a service's logs would), so reading them costs the bench nothing.
   */
  fork(
    name: string,
    modulePath: string,
    args: readonly string[] = [],
    { logFile, execArgv }: { logFile?: string; execArgv?: readonly string[] } = {},
  ) {
    const fd = logFile === undefined ? undefined : openSync(logFile, 'a');
    const child = fork(modulePath, args, {
      stdio: ['ignore', fd ?? 'pipe', 'pipe', 'ipc'],
      ...(execArgv === undefined ? {} : { execArgv: [...execArgv] }),
    });
    if (fd !== undefined) closeSync(fd);
    return this.#track(name, child, logFile);
  }

  #track(name: string, child: ChildProcess, logFile?: string): Started {
    let kept = '';
    const keep = (chunk: Buffer) => {
      kept = (kept + chunk.toString('utf8')).slice(-65_536);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A failed spawn (ENOENT) must become a readable error, not an unhandled event.
    child.on('error', (err) => keep(Buffer.from(`\n[${name}] ${err.message}\n`)));
    const output = () => (logFile === undefined ? kept : `${tailOf(logFile)}${kept}`);
    const started = { name, child, output };
    this.#started.push(started);
    return started;
  }

  /** SIGTERM to each child still running, SIGKILL to those alive after `graceMs`. */
  stopAll(graceMs = 3000): Promise<void> {
    this.#stopping ??= (async () => {
      const alive = this.#started.filter(
        (s) => s.child.exitCode === null && s.child.signalCode === null && s.child.pid,
      );
      await Promise.all(
        alive.map(async ({ child }) => {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }),
      );
    })();
    return this.#stopping;
  }
}

/** Resolves with the first message from `child` that satisfies `accept`, or fails at the deadline. */
export function nextMessage<T>(
  started: Started,
  accept: (m: unknown) => m is T,
  timeoutMs: number,
): Promise<T> {
  const { child, name } = started;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`${name}: no answer within ${timeoutMs} ms\n${started.output()}`)),
      timeoutMs,
    );
    const onMessage = (m: unknown) => {
      if (accept(m)) finish(undefined, m);
    };
    const onExit = (code: number | null) =>
      finish(new Error(`${name} exited (${code}) before answering\n${started.output()}`));
    const finish = (err: Error | undefined, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Polls `read()` until it returns a value other than undefined, or fails at the deadline. */
export async function waitFor<T>(
  what: string,
  read: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function tailOf(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-16_384);
  } catch {
    return '';
  }
}
