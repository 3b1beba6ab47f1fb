import { expect } from 'chai';
import type { BackupRecord, ChangeEvent, CollectionSpec, Store } from '../../src/domain/store.js';
import { hasErrorCode } from '../../src/errors/index.js';

/** A value shaped like the users a real caller stores. */
export interface Person {
  name: string;
  email?: string;
  groups?: string[];
}

export const peopleSpec: CollectionSpec<Person> = {
  name: 'people',
  indexes: {
    email: { key: (p) => p.email, unique: true },
    group: { key: (p) => p.groups },
  },
};

/** Polls until `probe` returns something other than undefined, failing after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(hasErrorCode(error, code as never), `expected ${code}, got ${String(error)}`).to.equal(
      true,
    );
    return error as Error;
  }
  throw new Error(`expected a ${code} error, but the call succeeded`);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/**
 * The contract every Store adapter passes. `create` returns a fresh, empty store each time;
 * the suite closes it after each test.
 */
export function defineStoreSuite(name: string, create: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await create();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('records', () => {
      it('creates a record and reads it back with a resourceVersion', async () => {
        const people = store.collection(peopleSpec);
        const created = await people.create('u-1', { name: 'Ada', email: 'ada@example.org' });
        expect(created.id).to.equal('u-1');
        expect(created.resourceVersion).to.be.a('string').and.not.equal('');
        expect(created.value).to.deep.equal({ name: 'Ada', email: 'ada@example.org' });
        const read = await people.get('u-1');
        expect(read).to.deep.equal(created);
      });

      it('returns undefined for an id that was never written', async () => {
        expect(await store.collection(peopleSpec).get('nobody')).to.equal(undefined);
      });

      it('refuses to create an id that already exists', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada' });
        await expectCode(people.create('u-1', { name: 'Other' }), 'CONFLICT');
        expect((await people.get('u-1'))?.value.name).to.equal('Ada');
      });

      it('keeps collections apart even for the same id', async () => {
        const people = store.collection(peopleSpec);
        const teams = store.collection<{ title: string }>({ name: 'teams' });
        await people.create('x', { name: 'Ada' });
        await teams.create('x', { title: 'Ops' });
        expect((await people.get('x'))?.value).to.deep.equal({ name: 'Ada' });
        expect((await teams.get('x'))?.value).to.deep.equal({ title: 'Ops' });
      });

      it('hands out copies, so mutating a returned value changes nothing stored', async () => {
        const people = store.collection(peopleSpec);
        const input: Person = { name: 'Ada', groups: ['a'] };
        const created = await people.create('u-1', input);
        input.groups?.push('mutated-input');
        created.value.groups?.push('mutated-output');
        expect((await people.get('u-1'))?.value.groups).to.deep.equal(['a']);
      });

      it('updates a record and changes its resourceVersion', async () => {
        const people = store.collection(peopleSpec);
        const created = await people.create('u-1', { name: 'Ada' });
        const updated = await people.update('u-1', { name: 'Ada L.' });
        expect(updated.resourceVersion).to.not.equal(created.resourceVersion);
        expect((await people.get('u-1'))?.value.name).to.equal('Ada L.');
      });

      it('refuses to update a record that does not exist', async () => {
        await expectCode(store.collection(peopleSpec).update('ghost', { name: 'x' }), 'NOT_FOUND');
      });

      it('refuses an update carrying a stale resourceVersion', async () => {
        const people = store.collection(peopleSpec);
        const v1 = await people.create('u-1', { name: 'Ada' });
        const v2 = await people.update(
          'u-1',
          { name: 'B' },
          { resourceVersion: v1.resourceVersion },
        );
        await expectCode(
          people.update('u-1', { name: 'C' }, { resourceVersion: v1.resourceVersion }),
          'CONFLICT',
        );
        expect((await people.get('u-1'))?.resourceVersion).to.equal(v2.resourceVersion);
      });

      it('lets exactly one of many parallel updates with the same resourceVersion win', async () => {
        const people = store.collection(peopleSpec);
        const v1 = await people.create('u-1', { name: 'start' });
        const attempts = Array.from({ length: 12 }, (_, i) =>
          people.update('u-1', { name: `writer-${i}` }, { resourceVersion: v1.resourceVersion }),
        );
        const results = await Promise.allSettled(attempts);
        const winners = results.filter((r) => r.status === 'fulfilled');
        const losers = results.filter((r) => r.status === 'rejected');
        expect(winners).to.have.length(1);
        for (const loser of losers) {
          expect(hasErrorCode((loser as PromiseRejectedResult).reason, 'CONFLICT')).to.equal(true);
        }
        const winner = (winners[0] as PromiseFulfilledResult<{ value: Person }>).value;
        expect((await people.get('u-1'))?.value).to.deep.equal(winner.value);
      });

      it('deletes a record once and reports false the second time', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada' });
        expect(await people.delete('u-1')).to.equal(true);
        expect(await people.delete('u-1')).to.equal(false);
        expect(await people.get('u-1')).to.equal(undefined);
      });

      it('refuses a delete carrying a stale resourceVersion', async () => {
        const people = store.collection(peopleSpec);
        const v1 = await people.create('u-1', { name: 'Ada' });
        await people.update('u-1', { name: 'B' });
        await expectCode(people.delete('u-1', { resourceVersion: v1.resourceVersion }), 'CONFLICT');
        expect(await people.get('u-1')).to.not.equal(undefined);
      });

      it('lets an id be created again after it was deleted', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', email: 'a@x' });
        await people.delete('u-1');
        const again = await people.create('u-1', { name: 'Bob', email: 'a@x' });
        expect(again.value.name).to.equal('Bob');
      });

      it('refuses an empty id with VALIDATION_FAILED', async () => {
        await expectCode(
          store.collection(peopleSpec).create('', { name: 'x' }),
          'VALIDATION_FAILED',
        );
      });

      it('answers ping', async () => {
        await store.ping();
      });
    });

    describe('listing', () => {
      it('lists every record of a collection in id order', async () => {
        const people = store.collection(peopleSpec);
        for (const id of ['c', 'a', 'b']) await people.create(id, { name: id });
        await store.collection({ name: 'other' }).create('z', { name: 'z' });
        const all = await people.list();
        expect(all.map((r) => r.id)).to.deep.equal(['a', 'b', 'c']);
      });

      it('lists only ids with a given prefix, up to a limit', async () => {
        const people = store.collection(peopleSpec);
        for (const id of ['team-a', 'team-b', 'team-c', 'user-a', 'tea']) {
          await people.create(id, { name: id });
        }
        const teams = await people.list({ idPrefix: 'team-' });
        expect(teams.map((r) => r.id)).to.deep.equal(['team-a', 'team-b', 'team-c']);
        const firstTwo = await people.list({ idPrefix: 'team-', limit: 2 });
        expect(firstTwo.map((r) => r.id)).to.deep.equal(['team-a', 'team-b']);
      });

      it('lists records by a secondary index with several keys per record', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', groups: ['devs', 'ops'] });
        await people.create('u-2', { name: 'Bob', groups: ['devs'] });
        await people.create('u-3', { name: 'Cy' });
        const devs = await people.list({ index: 'group', value: 'devs' });
        expect(devs.map((r) => r.id).sort()).to.deep.equal(['u-1', 'u-2']);
        const ops = await people.list({ index: 'group', value: 'ops' });
        expect(ops.map((r) => r.id)).to.deep.equal(['u-1']);
      });

      it('moves a record between index keys when it is updated or deleted', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', groups: ['devs'] });
        await people.update('u-1', { name: 'Ada', groups: ['ops'] });
        expect(await people.list({ index: 'group', value: 'devs' })).to.have.length(0);
        expect(await people.list({ index: 'group', value: 'ops' })).to.have.length(1);
        await people.delete('u-1');
        expect(await people.list({ index: 'group', value: 'ops' })).to.have.length(0);
      });

      it('refuses to list by an index the spec does not declare', async () => {
        await expectCode(
          store.collection(peopleSpec).list({ index: 'nope', value: 'x' }),
          'VALIDATION_FAILED',
        );
      });
    });

    describe('unique indexes', () => {
      it('refuses a second record with the same unique key', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', email: 'ada@example.org' });
        await expectCode(
          people.create('u-2', { name: 'Imposter', email: 'ada@example.org' }),
          'CONFLICT',
        );
        expect(await people.get('u-2')).to.equal(undefined);
      });

      it('refuses an update that would take another record’s unique key', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', email: 'ada@example.org' });
        await people.create('u-2', { name: 'Bob', email: 'bob@example.org' });
        await expectCode(
          people.update('u-2', { name: 'Bob', email: 'ada@example.org' }),
          'CONFLICT',
        );
        expect((await people.get('u-2'))?.value.email).to.equal('bob@example.org');
      });

      it('lets a record keep its own unique key on update', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', email: 'ada@example.org' });
        await people.update('u-1', { name: 'Ada L.', email: 'ada@example.org' });
        const found = await people.list({ index: 'email', value: 'ada@example.org' });
        expect(found.map((r) => r.value.name)).to.deep.equal(['Ada L.']);
      });

      it('frees a unique key when its holder changes it or is deleted', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', email: 'a@x' });
        await people.update('u-1', { name: 'Ada', email: 'a2@x' });
        await people.create('u-2', { name: 'Bob', email: 'a@x' });
        await people.delete('u-2');
        await people.create('u-3', { name: 'Cy', email: 'a@x' });
        expect(
          (await people.list({ index: 'email', value: 'a@x' })).map((r) => r.id),
        ).to.deep.equal(['u-3']);
      });

      it('lets only one of many parallel creates claim a unique key', async () => {
        const people = store.collection(peopleSpec);
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            people.create(`u-${i}`, { name: `${i}`, email: 'x@y' }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      });
    });

    describe('TTL', () => {
      it('reports when a record with a TTL expires', async () => {
        const people = store.collection(peopleSpec);
        const before = Date.now();
        const created = await people.create('s-1', { name: 'session' }, { ttlSeconds: 60 });
        expect(created.expiresAt).to.be.at.least(before + 59_000);
        expect((await people.get('s-1'))?.expiresAt).to.equal(created.expiresAt);
      });

      it('forgets a record once its TTL has passed and tells watchers it was deleted', async () => {
        const people = store.collection(peopleSpec);
        const events: ChangeEvent<Person>[] = [];
        people.watch((event) => events.push(event));
        await people.create('s-1', { name: 'short', email: 's@x' }, { ttlSeconds: 1 });
        await people.create('keep', { name: 'long' });
        expect(await people.get('s-1')).to.not.equal(undefined);
        await pollUntil('the record to expire', async () =>
          (await people.get('s-1')) === undefined ? true : undefined,
        );
        expect((await people.list()).map((r) => r.id)).to.deep.equal(['keep']);
        expect(await people.list({ index: 'email', value: 's@x' })).to.have.length(0);
        await pollUntil('a deleted event', () =>
          events.find((e) => e.type === 'deleted' && e.id === 's-1'),
        );
        // The unique key of an expired record is free again.
        await people.create('s-2', { name: 'next', email: 's@x' });
      });

      it('keeps the expiry when an update gives no TTL', async () => {
        const people = store.collection(peopleSpec);
        const created = await people.create('s-1', { name: 'a' }, { ttlSeconds: 60 });
        const updated = await people.update('s-1', { name: 'b' });
        expect(updated.expiresAt).to.equal(created.expiresAt);
        const extended = await people.update('s-1', { name: 'c' }, { ttlSeconds: 120 });
        expect(extended.expiresAt).to.be.greaterThan(created.expiresAt ?? 0);
      });
    });

    describe('watch', () => {
      it('tells watchers about creates, updates and deletes in order', async () => {
        const people = store.collection(peopleSpec);
        const events: ChangeEvent<Person>[] = [];
        people.watch((event) => events.push(event));
        const c = await people.create('u-1', { name: 'Ada' });
        const u = await people.update('u-1', { name: 'Ada L.' });
        await people.delete('u-1');
        await pollUntil('three events', () => (events.length >= 3 ? true : undefined));
        expect(events.map((e) => [e.type, e.id])).to.deep.equal([
          ['created', 'u-1'],
          ['updated', 'u-1'],
          ['deleted', 'u-1'],
        ]);
        expect(events[0]?.resourceVersion).to.equal(c.resourceVersion);
        expect(events[1]?.resourceVersion).to.equal(u.resourceVersion);
        expect(events[1]?.value).to.deep.equal({ name: 'Ada L.' });
        expect(events[0]?.collection).to.equal('people');
      });

      it('stops calling a watcher after it unsubscribes and ignores other collections', async () => {
        const people = store.collection(peopleSpec);
        const other = store.collection<{ n: number }>({ name: 'other' });
        const seen: string[] = [];
        const stop = people.watch((event) => seen.push(`a:${event.id}`));
        people.watch((event) => seen.push(`b:${event.id}`));
        await other.create('o-1', { n: 1 });
        await people.create('u-1', { name: 'x' });
        await pollUntil('both watchers', () => (seen.length >= 2 ? true : undefined));
        stop();
        await people.create('u-2', { name: 'y' });
        await pollUntil('second event', () => (seen.includes('b:u-2') ? true : undefined));
        expect(seen.sort()).to.deep.equal(['a:u-1', 'b:u-1', 'b:u-2']);
      });
    });

    describe('export and import', () => {
      it('exports every live record and imports them into another store', async () => {
        const people = store.collection(peopleSpec);
        await people.create('u-1', { name: 'Ada', email: 'a@x', groups: ['devs'] });
        await people.create('u-2', { name: 'Bob' }, { ttlSeconds: 300 });
        await store.collection<{ n: number }>({ name: 'counters' }).create('c', { n: 7 });
        const exported = await collect(store.exportRecords());
        const key = (r: BackupRecord) => `${r.collection}/${r.id}`;
        expect(exported.map(key).sort()).to.deep.equal(['counters/c', 'people/u-1', 'people/u-2']);
        expect(exported.find((r) => r.id === 'u-2')?.expiresAt).to.be.a('number');

        const target = await create();
        try {
          await target.collection(peopleSpec).create('stale', { name: 'will be replaced' });
          const count = await target.importRecords(fromArray(exported), [
            peopleSpec as CollectionSpec<unknown>,
          ]);
          expect(count).to.equal(3);
          const again = await collect(target.exportRecords());
          expect(again.map(key).sort()).to.deep.equal(exported.map(key).sort());
          const targetPeople = target.collection(peopleSpec);
          expect(await targetPeople.get('stale')).to.equal(undefined);
          expect(
            (await targetPeople.list({ index: 'group', value: 'devs' })).map((r) => r.id),
          ).to.deep.equal(['u-1']);
          await expectCode(targetPeople.create('u-9', { name: 'x', email: 'a@x' }), 'CONFLICT');
          const updated = await targetPeople.update('u-1', { name: 'Ada 2' });
          expect(updated.resourceVersion).to.be.a('string');
        } finally {
          await target.close();
        }
      });

      it('refuses an import that breaks a unique index and leaves the store as it was', async () => {
        const people = store.collection(peopleSpec);
        await people.create('keep', { name: 'Keep' });
        const records: BackupRecord[] = [
          { collection: 'people', id: 'a', value: { name: 'A', email: 'same@x' } },
          { collection: 'people', id: 'b', value: { name: 'B', email: 'same@x' } },
        ];
        await expectCode(
          store.importRecords(fromArray(records), [peopleSpec as CollectionSpec<unknown>]),
          'CONFLICT',
        );
        expect((await people.list()).map((r) => r.id)).to.deep.equal(['keep']);
      });
    });
  });
}
