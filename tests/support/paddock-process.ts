import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchText } from './http-client.js';
import { waitFor } from './wait-for.js';

const mainJs = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface PaddockProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly caPem: string | undefined;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs the compiled `paddock` CLI with the given arguments and environment. */
export function runPaddock(
  args: readonly string[],
  env: Record<string, string>,
  /** Another build's entry point (the previous release, for upgrade tests). */
  main: string = mainJs,
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [main, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => text, exited };
}

/** Starts `paddock serve` and waits until /healthz answers. */
export async function startPaddock(options: {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
  /** Another build's entry point (the previous release, for upgrade tests). */
  mainJs?: string;
}): Promise<PaddockProcess> {
  const insecure = options.env?.PADDOCK_INSECURE_HTTP === 'true';
  const { child, output, exited } = runPaddock(
    ['serve'],
    {
      PADDOCK_PORT: String(options.port),
      PADDOCK_BIND: '127.0.0.1',
      PADDOCK_DATA_DIR: options.dataDir,
      PADDOCK_LOG_LEVEL: 'warn',
      PADDOCK_BOOTSTRAP_PASSWORD: 'test-bootstrap-password',
      // No load balancer to wait for: tests that stop Paddock do not sit through a drain delay.
      PADDOCK_SHUTDOWN_DRAIN_SECONDS: '0',
      ...options.env,
    },
    options.mainJs,
  );
  const url = `${insecure ? 'http' : 'https'}://localhost:${options.port}`;
  let caPem: string | undefined;
  let code: number | null | undefined;
  void exited.then((c) => {
    code = c;
  });
  await waitFor(
    `paddock on ${url} (output: ${output()})`,
    async () => {
      if (code !== undefined) throw new Error(`paddock exited with ${code}: ${output()}`);
      if (!insecure && caPem === undefined) {
        caPem = await readFile(join(options.dataDir, 'tls', 'ca.crt'), 'utf8').catch(
          () => undefined,
        );
        if (caPem === undefined) return undefined;
      }
      const res = await fetchText(`${url}/healthz`, { ca: caPem });
      return res.status === 200 ? true : undefined;
    },
    { timeoutMs: 30_000 },
  );
  return {
    child,
    url,
    caPem,
    output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
  };
}
