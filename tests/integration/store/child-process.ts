import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The compiled tests/support/store-writer.js next to this compiled file's tree. */
export const storeWriterPath = fileURLToPath(
  new URL('../../support/store-writer.js', import.meta.url),
);

/** A running store-writer child with the ids it has acknowledged so far. */
export class WriterProcess {
  readonly acknowledged: string[] = [];
  private stderr = '';
  private partial = '';
  private readonly closed: Promise<unknown>;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const text = this.partial + chunk;
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      this.acknowledged.push(...lines.filter((line) => line !== ''));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    this.closed = once(child, 'close');
  }

  static start(args: readonly string[]): WriterProcess {
    return new WriterProcess(
      spawn(process.execPath, [storeWriterPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }

  get errorOutput(): string {
    return this.stderr;
  }

  /** SIGKILLs the child and waits until its output is fully read. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.closed;
  }

  /** Waits for the child to exit by itself and returns its stdout lines. */
  async finished(): Promise<{ code: number | null; lines: string[] }> {
    await this.closed;
    return { code: this.child.exitCode, lines: this.acknowledged };
  }
}
