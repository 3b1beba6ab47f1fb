import { statfsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { mountTmpfs } from '../../support/tmpfs.js';
import { waitFor } from '../../support/wait-for.js';
import { opsFixture, startReplica } from './support/served-paddock.js';

/** Fills the file system of `dir` until only about `leaveBytes` are free. */
async function fill(dir: string, leaveBytes: number): Promise<string> {
  const path = join(dir, 'filler');
  const file = await open(path, 'a');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) {
      const s = statfsSync(dir);
      const free = s.bavail * s.bsize;
      if (free <= leaveBytes) break;
      const size = Math.min(chunk.length, free - leaveBytes);
      try {
        await file.write(chunk.subarray(0, size));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw err;
      }
    }
  } finally {
    await file.close();
  }
  return path;
}

describe('the embedded store on a full disk', function () {
  this.timeout(120_000);

  it('answers STORE_UNAVAILABLE instead of aborting while the disk is full, and recovers by itself when space returns', async () => {
    const fx = await opsFixture('full-disk');
    try {
      const disk = await mountTmpfs(8);
      fx.track(() => disk.remove());
      const replica = await startReplica({
        name: 'a',
        dir: fx.dir,
        env: {
          PADDOCK_DATA_DIR: join(disk.path, 'data'),
          PADDOCK_STORE_MIN_FREE_MEGABYTES: '0.5',
          PADDOCK_LOG_LEVEL: 'error',
        },
      });
      fx.track(() => replica.process.stop());
      const token = await replica.login();
      const login = () =>
        replica.request('/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'test-bootstrap-password' }),
        });

      for (const leave of [8 * 1024, 0]) {
        // Nearly full (a few pages left for LMDB to fail on), then quite full.
        const filler = await fill(disk.path, leave);
        for (let i = 0; i < 40; i++) {
          const res = await login();
          expect(res.status, res.body).to.equal(503);
          expect(JSON.parse(res.body).error.code).to.equal('STORE_UNAVAILABLE');
        }
        expect(replica.process.child.exitCode, replica.process.output()).to.equal(null);
        expect(replica.process.child.signalCode, replica.process.output()).to.equal(null);
        // Reads go on: the session from before the disk filled still works.
        const me = await replica.graphql(token, '{ me { username } }');
        expect(me.data?.me, JSON.stringify(me)).to.deep.equal({ username: 'admin' });
        expect((await replica.request('/healthz')).status).to.equal(200);

        await rm(filler);
        await waitFor(
          'logins to work again once space is back',
          async () => ((await login()).status === 200 ? true : undefined),
          { timeoutMs: 5_000 },
        );
      }
      expect(replica.process.child.exitCode).to.equal(null);
    } finally {
      await fx.stop();
    }
  });
});
