import { join } from 'node:path';
import { expect } from 'chai';
import { EmbeddedStore, readBackupFile } from '../../../src/store/index.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { WriterProcess } from './child-process.js';

describe('Embedded store shared between processes', function () {
  this.timeout(30_000);

  it('lets a second process back up the data directory while a server has it open', async () => {
    const dir = await makeTempDir('store-multi');
    const server = EmbeddedStore.open({ dataDir: dir.path, sweepIntervalMs: 0 });
    try {
      const users = server.collection<{ name: string }>({ name: 'users' });
      await users.create('u-1', { name: 'Ada' });
      await users.create('u-2', { name: 'Bob' });
      const file = join(dir.path, 'backup.jsonl');

      const backup = WriterProcess.start(['backup', dir.path, file]);
      const { code, lines } = await backup.finished();
      expect(code, backup.errorOutput).to.equal(0);
      expect(lines).to.deep.equal(['2']);

      const { records } = await readBackupFile(file);
      expect(records.map((r) => r.id)).to.deep.equal(['u-1', 'u-2']);
      // The server is unaffected and keeps writing.
      await users.create('u-3', { name: 'Cy' });
      expect((await users.list()).map((r) => r.id)).to.deep.equal(['u-1', 'u-2', 'u-3']);
    } finally {
      await server.close();
      await dir.remove();
    }
  });
});
