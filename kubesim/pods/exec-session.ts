// Running exec/attach once the streams exist, whatever carries them (WebSocket channels or
// SPDY streams): the built-in shell for exec and tty attach, a log-like line stream for plain
// attach, and the exit Status the kubelet reports on the error channel.

import type { SimCluster } from '../server/sim-cluster.js';
import type { KubeObject } from '../storage/types.js';
import { logLine } from './logs.js';
import { CommandNotFound, runCommand, type ShellIO } from './shell.js';

export interface ExecSession {
  io: ShellIO;
  finish(status: ExitStatus): void;
  isClosed(): boolean;
}

export interface ExitStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

export function exitStatus(argv: string[], code: number): ExitStatus {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function runtimeFailure(message: string): ExitStatus {
  const full = `error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${message}: unknown`;
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${full}`,
    reason: 'InternalError',
    details: { causes: [{ message: full }] },
    code: 500,
  };
}

export interface ExecRequest {
  pod: KubeObject;
  container: string;
  mode: 'exec' | 'attach';
  argv: string[];
  tty: boolean;
}

export async function runExecSession(
  cluster: SimCluster,
  session: ExecSession,
  r: ExecRequest,
): Promise<void> {
  const ctx = { pod: r.pod, container: r.container, now: () => cluster.now() };
  if (r.mode === 'attach') {
    if (r.tty) {
      const code = await runCommand(['sh'], ctx, session.io);
      session.finish(exitStatus(['sh'], code));
      return;
    }
    let seq = 0;
    const name = r.pod.metadata.name ?? '';
    while (!session.isClosed()) {
      session.io.out(`${logLine(name, r.container, seq++)}\n`);
      await new Promise((res) => setTimeout(res, cluster.timings.logLineMs));
    }
    return;
  }
  try {
    const code = await runCommand(r.argv, ctx, session.io);
    session.finish(exitStatus(r.argv, code));
  } catch (e) {
    session.finish(runtimeFailure(e instanceof CommandNotFound ? e.message : String(e)));
  }
}

/** A stdin queue feeding ShellIO.read from pushed chunks and an EOF mark. */
export class StdinQueue {
  private readonly queue: string[] = [];
  private eof = false;
  private waiting: ((v: string | undefined) => void) | undefined;

  push(text: string): void {
    if (text.length > 0) this.queue.push(text);
    this.deliver();
  }

  end(): void {
    this.eof = true;
    this.deliver();
  }

  read(): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.deliver();
    });
  }

  private deliver(): void {
    const w = this.waiting;
    if (!w) return;
    if (this.queue.length > 0) {
      this.waiting = undefined;
      w(this.queue.shift());
    } else if (this.eof) {
      this.waiting = undefined;
      w(undefined);
    }
  }
}
