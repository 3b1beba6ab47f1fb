/** `paddock agent` as a child process inside a network namespace sandbox. */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NetnsSandbox } from './netns.js';

const mainJs = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface AgentProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Whether the process has exited. */
  exited(): boolean;
  /** Sends `signal` (default SIGKILL: the agent dies without a word) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `paddock agent` in `sandbox` with `env` (its PADDOCK_AGENT_* settings). */
export function startAgentProcess(
  sandbox: NetnsSandbox,
  env: Record<string, string>,
): AgentProcess {
  const child = sandbox.spawn(process.execPath, [mainJs, 'agent'], { env });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  let code: number | null | undefined;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (c) => {
      code = c;
      resolve(c);
    }),
  );
  return {
    child,
    output: () => text,
    exited: () => code !== undefined,
    async kill(signal = 'SIGKILL') {
      if (code !== undefined) return code;
      child.kill(signal);
      return exit;
    },
  };
}
