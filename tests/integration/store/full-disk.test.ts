import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { mountTmpfs } from '../../support/tmpfs.js';
import { storeWriterPath } from './child-process.js';

const run = promisify(execFile);

interface ChurnSummary {
  readonly ok: number;
  readonly failures: Record<string, number>;
  readonly recovered: boolean;
  readonly seeds: number;
}

describe('Embedded store on a full disk', function () {
  this.timeout(120_000);

  // Measured (ADR 0021): without the reserve, this churn aborts the process ("malloc():
  // invalid size", "corrupted size vs. prev_size", SIGSEGV) in about 4 runs of 10, whether or
  // not writes stop after the first failed commit. Six runs all pass only with the reserve.
  it('never lets LMDB meet the full disk: writes fail with STORE_UNAVAILABLE, the process lives, nothing acknowledged is lost, and writes resume', async () => {
    for (let i = 0; i < 6; i++) {
      const disk = await mountTmpfs(8);
      try {
        const leave = i % 2 === 0 ? 4096 : 16384;
        const result = await run(
          process.execPath,
          [
            storeWriterPath,
            'churn',
            join(disk.path, 'data'),
            join(disk.path, 'filler'),
            String(leave),
          ],
          {
            env: { PATH: process.env.PATH ?? '', PADDOCK_TEST_MIN_FREE_BYTES: String(512 * 1024) },
          },
        ).catch((err: { code?: number; signal?: string; stderr?: string }) => {
          throw new Error(
            `the store process died (${err.signal ?? err.code}): ${String(err.stderr).slice(-300)}`,
          );
        });
        const summary = JSON.parse(result.stdout) as ChurnSummary;
        expect(Object.keys(summary.failures), JSON.stringify(summary)).to.deep.equal([
          'STORE_UNAVAILABLE/disk_full',
        ]);
        expect(summary.recovered).to.equal(true);
        expect(summary.seeds).to.equal(50);
      } finally {
        await disk.remove();
      }
    }
  });
});
