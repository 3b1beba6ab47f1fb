import { expect } from 'chai';
import { DatasourceClusterRegistry } from '../../../src/datasources/cluster-registry.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import { MemoryStore } from '../../support/memory-store.js';
import { memoryLogger } from '../graphql/support/graphql-harness.js';

describe('DatasourceClusterRegistry.update', () => {
  let now = 1000;
  const registry = () =>
    new DatasourceClusterRegistry({
      store: new MemoryStore(),
      secretBox: new AesGcmSecretBox(Buffer.alloc(32, 7)),
      logger: memoryLogger(),
      now: () => now,
    });

  it('renames and re-describes a cluster and keeps its state', async () => {
    const clusters = registry();
    await clusters.createPendingImport({ id: 'c-a', name: 'a' });
    now = 2000;
    const updated = await clusters.update('c-a', { name: ' renamed ', description: 'edge site' });
    expect(updated).to.include({ name: 'renamed', description: 'edge site', updatedAt: 2000 });
    expect(updated.health.state).to.equal('pending');
    expect((await clusters.get('c-a'))?.name).to.equal('renamed');
  });

  it('refuses an empty name and an unknown cluster', async () => {
    const clusters = registry();
    await clusters.createPendingImport({ id: 'c-a', name: 'a' });
    await clusters.update('c-a', { name: '  ' }).then(
      () => expect.fail('accepted an empty name'),
      (err: { code?: string }) => expect(err.code).to.equal('VALIDATION_FAILED'),
    );
    await clusters.update('c-zz', { name: 'x' }).then(
      () => expect.fail('updated an unknown cluster'),
      (err: { code?: string }) => expect(err.code).to.equal('NOT_FOUND'),
    );
  });
});
