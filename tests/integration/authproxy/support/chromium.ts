import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { makeTempDir } from '../../../support/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Loads `url` in headless Chromium and returns the DOM once the page has loaded and its
 * scripts (if any were allowed to run) are done: what a real browser made of the answer.
 */
export async function dumpDom(url: string): Promise<string> {
  if (!existsSync(CHROMIUM)) {
    throw new Error('chromium not found at /usr/bin/chromium: apt-get install -y chromium');
  }
  const profile = await makeTempDir('chromium');
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile(
        CHROMIUM,
        [
          '--headless=new',
          // Tests may run as root, where Chromium's own sandbox cannot start.
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          `--user-data-dir=${profile.path}`,
          '--virtual-time-budget=5000',
          '--dump-dom',
          url,
        ],
        { timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: profile.path } },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr.slice(-2000)}`));
          else resolve(stdout);
        },
      );
    });
  } finally {
    await profile.remove();
  }
}
