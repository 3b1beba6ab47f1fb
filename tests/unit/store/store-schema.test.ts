import { expect } from 'chai';
import { hasErrorCode } from '../../../src/errors/index.js';
import {
  type Migration,
  migrateStore,
  type SchemaTarget,
  storeSchemaCollection,
} from '../../../src/store/index.js';
import { MemoryStore } from '../../support/memory-store.js';

function target(version: number, oldestCompatible: number, ran: number[]): SchemaTarget {
  const migrations: Migration[] = [2, 3, 4].map((to) => ({
    to,
    description: `step ${to}`,
    run: async () => {
      ran.push(to);
    },
  }));
  return { version, oldestCompatible, migrations, release: `r${version}` };
}

describe('the store schema', () => {
  it('migrates a store from before versions existed forward, step by step, and records where it is', async () => {
    const store = new MemoryStore();
    const ran: number[] = [];
    const record = await migrateStore(store, target(3, 2, ran), { now: () => 42 });
    expect(ran).to.deep.equal([2, 3]);
    expect(record).to.deep.equal({ version: 3, oldestCompatible: 2, migratedAt: 42, by: 'r3' });
    expect((await store.collection(storeSchemaCollection).get('schema'))?.value.version).to.equal(
      3,
    );
  });

  it('runs nothing on a store at its version', async () => {
    const store = new MemoryStore();
    await migrateStore(store, target(3, 2, []));
    const ran: number[] = [];
    await migrateStore(store, target(3, 2, ran));
    expect(ran).to.deep.equal([]);
  });

  it('runs the previous release against a newer store it is compatible with, changing nothing (a rollback)', async () => {
    const store = new MemoryStore();
    await migrateStore(store, target(3, 2, []));
    const ran: number[] = [];
    const record = await migrateStore(store, target(2, 1, ran));
    expect(ran).to.deep.equal([]);
    expect(record.version).to.equal(3);
  });

  it('refuses to start on a store migrated past what it can run against, naming both schemas', async () => {
    const store = new MemoryStore();
    await migrateStore(store, target(4, 3, []));
    const err = await migrateStore(store, target(2, 1, [])).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'CONFLICT')).to.equal(true);
    expect((err as Error).message)
      .to.contain('schema 4')
      .and.to.contain('this release is schema 2');
  });

  it('ends at the version when two replicas migrate at once', async () => {
    const store = new MemoryStore();
    const ran: number[] = [];
    const [a, b] = await Promise.all([
      migrateStore(store, target(3, 2, ran)),
      migrateStore(store, target(3, 2, ran)),
    ]);
    expect(a.version).to.equal(3);
    expect(b.version).to.equal(3);
  });
});
