import { expect } from 'chai';
import type { BackupRecord, ChangeEvent } from '../../../src/domain/store.js';
import { MemoryStore } from '../../support/memory-store.js';
import { rejection, settle, TestClock } from './fixtures.js';

interface Person {
  name: string;
  tags: string[];
}

function people(store: MemoryStore) {
  return store.collection<Person>({
    name: 'people',
    indexes: { byName: { key: (p) => p.name, unique: true }, byTag: { key: (p) => p.tags } },
  });
}

describe('MemoryStore (test support)', () => {
  it('finds records by index and refuses a taken unique key', async () => {
    const store = new MemoryStore();
    const c = people(store);
    await c.create('1', { name: 'ann', tags: ['a', 'b'] });
    await c.create('2', { name: 'bob', tags: ['b'] });
    expect((await c.list({ index: 'byTag', value: 'b' })).map((r) => r.id)).to.deep.equal([
      '1',
      '2',
    ]);
    expect((await rejection(c.create('3', { name: 'ann', tags: [] }))).code).to.equal('CONFLICT');
    expect((await rejection(c.update('2', { name: 'ann', tags: [] }))).code).to.equal('CONFLICT');
    await c.update('1', { name: 'cat', tags: [] });
    await c.create('3', { name: 'ann', tags: [] });
    expect(await c.list({ index: 'byTag', value: 'a' })).to.deep.equal([]);
  });

  it('refuses a stale resourceVersion', async () => {
    const c = people(new MemoryStore());
    const v1 = await c.create('1', { name: 'ann', tags: [] });
    await c.update('1', { name: 'ann2', tags: [] }, { resourceVersion: v1.resourceVersion });
    expect(
      (
        await rejection(
          c.update('1', { name: 'x', tags: [] }, { resourceVersion: v1.resourceVersion }),
        )
      ).code,
    ).to.equal('CONFLICT');
    expect((await rejection(c.delete('1', { resourceVersion: v1.resourceVersion }))).code).to.equal(
      'CONFLICT',
    );
    expect((await rejection(c.update('9', { name: 'x', tags: [] }))).code).to.equal('NOT_FOUND');
  });

  it('expires records on the injected clock and frees their unique keys', async () => {
    const clock = new TestClock();
    const c = people(new MemoryStore({ now: clock.now }));
    await c.create('1', { name: 'ann', tags: [] }, { ttlSeconds: 10 });
    clock.advance(9);
    expect(await c.get('1')).not.to.equal(undefined);
    clock.advance(1);
    expect(await c.get('1')).to.equal(undefined);
    await c.create('2', { name: 'ann', tags: [] });
  });

  it('delivers changes asynchronously to every watcher, including expiry', async () => {
    const clock = new TestClock();
    const store = new MemoryStore({ now: clock.now });
    const events: ChangeEvent<Person>[] = [];
    const stop = people(store).watch((e) => events.push(e));
    const c = people(store);
    await c.create('1', { name: 'ann', tags: [] }, { ttlSeconds: 1 });
    expect(events).to.have.length(0);
    await settle();
    clock.advance(1);
    store.sweep();
    await settle();
    expect(events.map((e) => e.type)).to.deep.equal(['created', 'deleted']);
    stop();
  });

  it('exports and imports records with their index keys', async () => {
    const source = new MemoryStore();
    await people(source).create('1', { name: 'ann', tags: ['x'] });
    const records: BackupRecord[] = [];
    for await (const r of source.exportRecords()) records.push(r);
    const target = new MemoryStore();
    async function* replay() {
      yield* records;
    }
    const spec = { name: 'people', indexes: { byTag: { key: (p: Person) => p.tags } } };
    expect(await target.importRecords(replay(), [spec as never])).to.equal(1);
    expect(await target.collection(spec).list({ index: 'byTag', value: 'x' })).to.have.length(1);
  });
});
