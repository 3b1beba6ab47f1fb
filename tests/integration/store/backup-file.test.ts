import { randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { BackupRecord, CollectionSpec, Store } from '../../../src/domain/store.js';
import { hasErrorCode } from '../../../src/errors/index.js';
import {
  backupToFile,
  EmbeddedStore,
  openStore,
  RedisStore,
  restoreFromFile,
} from '../../../src/store/index.js';
import { RedisServer } from '../../support/redis-server.js';
import { collect, type Person, peopleSpec } from '../../support/store-contract.js';
import { makeTempDir } from '../../support/temp-dir.js';

const specs = [peopleSpec as CollectionSpec<unknown>];

function sorted(records: BackupRecord[]): BackupRecord[] {
  return [...records].sort((a, b) =>
    `${a.collection}/${a.id}`.localeCompare(`${b.collection}/${b.id}`),
  );
}

async function seed(store: Store): Promise<void> {
  const people = store.collection(peopleSpec);
  await people.create('u-1', { name: 'Ada', email: 'ada@x', groups: ['devs'] });
  await people.create('u-2', { name: 'Bøb ✓', groups: ['devs', 'ops'] });
  await people.create('s-1', { name: 'session' }, { ttlSeconds: 3600 });
  await store.collection<unknown>({ name: 'settings' }).create('ui', { theme: 'dark', n: 1.5 });
}

describe('Backup files', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let dir: { path: string; remove: () => Promise<void> };
  const opened: Store[] = [];

  before(async () => {
    redis = await RedisServer.start();
  });

  after(async () => {
    await redis?.stop();
  });

  beforeEach(async () => {
    dir = await makeTempDir('store-backup');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await dir.remove();
  });

  function embedded(name: string): Store {
    const store = EmbeddedStore.open({ dataDir: join(dir.path, name), sweepIntervalMs: 0 });
    opened.push(store);
    return store;
  }

  async function redisStore(): Promise<Store> {
    const store = await RedisStore.open({ url: redis.url, keyPrefix: `b-${randomUUID()}:` });
    opened.push(store);
    return store;
  }

  it('round-trips embedded → file → Redis → file → embedded with equal contents', async () => {
    const source = embedded('source');
    await seed(source);
    const original = sorted(await collect(source.exportRecords()));

    const first = join(dir.path, 'first.jsonl');
    expect((await backupToFile(source, first)).records).to.equal(4);
    const middle = await redisStore();
    expect(await restoreFromFile(middle, first, specs)).to.equal(4);
    expect(sorted(await collect(middle.exportRecords()))).to.deep.equal(original);

    const second = join(dir.path, 'second.jsonl');
    await backupToFile(middle, second);
    const target = embedded('target');
    await restoreFromFile(target, second, specs);
    expect(sorted(await collect(target.exportRecords()))).to.deep.equal(original);
    // Indexes are rebuilt from the specs on restore.
    const devs = await target.collection(peopleSpec).list({ index: 'group', value: 'devs' });
    expect(devs.map((r) => r.id)).to.deep.equal(['u-1', 'u-2']);
  });

  it('starts the file with a header naming the format, version and time', async () => {
    const source = embedded('source');
    await seed(source);
    const file = join(dir.path, 'b.jsonl');
    await backupToFile(source, file, { now: () => Date.parse('2030-01-02T03:04:05Z') });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).to.deep.equal({
      format: 'paddock-backup',
      version: 1,
      createdAt: '2030-01-02T03:04:05.000Z',
      store: 'embedded',
    });
    expect(JSON.parse(lines.at(-1)!)).to.deep.equal({ end: true, records: 4 });
    expect(await readdir(dir.path)).to.not.satisfy((names: string[]) =>
      names.some((n) => n.endsWith('.tmp')),
    );
  });

  it('leaves no file behind when the backup fails', async () => {
    const source = embedded('source');
    await seed(source);
    const failing: Store = {
      ...source,
      kind: 'embedded',
      collection: (spec) => source.collection(spec),
      ping: () => source.ping(),
      close: () => source.close(),
      importRecords: (r, s) => source.importRecords(r, s),
      async *exportRecords() {
        yield* source.exportRecords();
        throw new Error('disk on fire');
      },
    };
    const file = join(dir.path, 'broken.jsonl');
    let failed = false;
    await backupToFile(failing, file).catch(() => {
      failed = true;
    });
    expect(failed).to.equal(true);
    expect(await readdir(dir.path)).to.deep.equal(['source']);
  });

  for (const [problem, mutate, line, message] of [
    [
      'a line that is not JSON',
      (l: string[]) => l.splice(2, 1, '{"collection":'),
      3,
      'not valid JSON',
    ],
    [
      'a record without an id',
      (l: string[]) => l.splice(3, 1, '{"collection":"people","value":{}}'),
      4,
      '"id"',
    ],
    [
      'a bad collection name',
      (l: string[]) => l.splice(2, 1, '{"collection":"No Such","id":"x","value":1}'),
      3,
      'collection',
    ],
    ['a file cut short', (l: string[]) => l.splice(l.length - 2, 2), 6, 'cut short'],
    ['a missing header', (l: string[]) => l.splice(0, 1), 1, 'not a Paddock backup'],
    ['a duplicate record', (l: string[]) => l.splice(3, 0, l[2]!), 4, 'duplicate'],
    [
      'two records sharing a unique key',
      (l: string[]) =>
        l.splice(2, 0, '{"collection":"people","id":"u-0","value":{"name":"x","email":"ada@x"}}'),
      4,
      'ada@x',
    ],
  ] as const) {
    it(`refuses a backup with ${problem}, naming the line, and leaves the store untouched`, async () => {
      const source = embedded('source');
      await seed(source);
      const file = join(dir.path, 'b.jsonl');
      await backupToFile(source, file);
      const lines = (await readFile(file, 'utf8')).split('\n');
      mutate(lines);
      // Keep the closing count in step, so the problem under test is the one reported.
      const end = lines.findIndex((l) => l.startsWith('{"end":true'));
      if (end > 0) lines[end] = JSON.stringify({ end: true, records: end - 1 });
      await writeFile(file, lines.join('\n'));

      const target = await redisStore();
      await target.collection(peopleSpec).create('keep', { name: 'Keep me' });
      const before = await collect(target.exportRecords());
      let caught: unknown;
      try {
        await restoreFromFile(target, file, specs);
      } catch (error) {
        caught = error;
      }
      expect(caught, 'restore should fail').to.be.instanceOf(Error);
      const text = (caught as Error).message;
      expect(text).to.contain(`line ${line}`);
      expect(text).to.contain(message);
      expect(
        hasErrorCode(caught, 'VALIDATION_FAILED') || hasErrorCode(caught, 'CONFLICT'),
      ).to.equal(true);
      expect(await collect(target.exportRecords())).to.deep.equal(before);
    });
  }

  it('opens the store the configuration names', async () => {
    const local = await openStore({ dataDir: join(dir.path, 'open'), sweepIntervalMs: 0 });
    opened.push(local);
    expect(local.kind).to.equal('embedded');
    const shared = await openStore({ dataDir: dir.path, redisUrl: redis.url, keyPrefix: 'o:' });
    opened.push(shared);
    expect(shared.kind).to.equal('redis');
    const person: Person = { name: 'x' };
    await shared.collection(peopleSpec).create('p', person);
  });

  it('reports an unreachable Redis as STORE_UNAVAILABLE', async () => {
    let caught: unknown;
    try {
      await openStore({ dataDir: dir.path, redisUrl: 'redis://127.0.0.1:1', sweepIntervalMs: 0 });
    } catch (error) {
      caught = error;
    }
    expect(hasErrorCode(caught, 'STORE_UNAVAILABLE'), String(caught)).to.equal(true);
  });
});
