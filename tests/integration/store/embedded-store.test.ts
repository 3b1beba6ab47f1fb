import { EmbeddedStore } from '../../../src/store/index.js';
import { defineStoreSuite } from '../../support/store-contract.js';
import { makeTempDir } from '../../support/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];

describe('Embedded store', () => {
  defineStoreSuite('embedded (LMDB)', async () => {
    const dir = await makeTempDir('store-embedded');
    cleanups.push(dir.remove);
    return EmbeddedStore.open({ dataDir: dir.path, sweepIntervalMs: 100 });
  });

  after(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
});
