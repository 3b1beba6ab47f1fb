import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { makeTempDir } from './temp-dir.js';

const run = promisify(execFile);

export interface Tmpfs {
  readonly path: string;
  /** Unmounts (lazily, should a process still hold a file) and removes the mount point. */
  remove(): Promise<void>;
}

/**
 * A small tmpfs of its own, to fill up: a full disk without filling the machine's. Mounting
 * needs root (as the CI machine runs the suite); elsewhere this fails and says so.
 */
export async function mountTmpfs(sizeMegabytes: number): Promise<Tmpfs> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'this test mounts a small tmpfs to fill it up, which needs root: run the suite as root (as .ci/run does)',
    );
  }
  const dir = await makeTempDir('tmpfs');
  try {
    await run('mount', [
      '-t',
      'tmpfs',
      '-o',
      `size=${sizeMegabytes}m,mode=0700`,
      'tmpfs',
      dir.path,
    ]);
  } catch (err) {
    await dir.remove();
    throw new Error(`cannot mount a tmpfs on ${dir.path}: ${(err as Error).message}`);
  }
  return {
    path: dir.path,
    async remove() {
      await run('umount', ['-l', dir.path]).catch(() => undefined);
      await rm(dir.path, { recursive: true, force: true });
    },
  };
}
