import { randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { BackupRecord, CollectionSpec, Store } from '../../../src/domain/store.js';
import { hasErrorCode } from '../../../src/errors/index.js';
import {
  backupToFile,
  checksummedLine,
  EmbeddedStore,
  FileSum,
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

/** Recomputes every line's checksum, the closing count and the file checksum. */
function resealed(lines: string[]): string[] {
  const sum = new FileSum();
  const out: string[] = [];
  let records = 0;
  let ended = false;
  for (const line of lines) {
    if (line === '') continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line);
    } catch {
      out.push(line);
      sum.add(line);
      records++;
      continue;
    }
    const { sum: _old, ...rest } = parsed;
    if (rest.end === true) {
      ended = true;
      continue;
    }
    const text = checksummedLine(rest);
    out.push(text);
    sum.add(text);
    if (out.length > 1) records++;
  }
  // A file cut short stays cut short.
  if (ended) out.push(checksummedLine({ end: true, records, sha256: sum.hex() }));
  return [...out, ''];
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
    const { sum: headerSum, ...header } = JSON.parse(lines[0]!);
    expect(header).to.deep.equal({
      format: 'paddock-backup',
      version: 2,
      createdAt: '2030-01-02T03:04:05.000Z',
      store: 'embedded',
    });
    expect(headerSum).to.match(/^[0-9a-f]{16}$/);
    const { sum: _endSum, sha256, ...end } = JSON.parse(lines.at(-1)!);
    expect(end).to.deep.equal({ end: true, records: 4 });
    expect(sha256).to.match(/^[0-9a-f]{64}$/);
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
      // Checksums and the closing count kept in step, so the problem under test is the one
      // reported (as if the file had been written so, not damaged).
      await writeFile(file, resealed(lines).join('\n'));

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

  it('refuses a backup in which any one byte was flipped, naming its line, and leaves the store untouched', async () => {
    const source = embedded('source');
    await seed(source);
    const file = join(dir.path, 'b.jsonl');
    await backupToFile(source, file);
    const original = await readFile(file);
    const target = await redisStore();
    await target.collection(peopleSpec).create('keep', { name: 'Keep me' });
    const before = await collect(target.exportRecords());
    // Every 7th byte, from the header to the closing line (newlines excepted).
    for (let at = 0; at < original.length; at += 7) {
      if (original[at] === 0x0a) continue;
      const damaged = Buffer.from(original);
      damaged[at] = (damaged[at] ?? 0) ^ 0x01;
      await writeFile(file, damaged);
      const line = original.subarray(0, at).toString('latin1').split('\n').length;
      const caught = await restoreFromFile(target, file, specs).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(caught, `byte ${at} flipped`).to.be.instanceOf(Error);
      expect((caught as Error).message, `byte ${at} flipped`).to.contain(`line ${line}:`);
    }
    expect(await collect(target.exportRecords())).to.deep.equal(before);
  });

  it('still restores a version 1 backup, written before checksums', async () => {
    const file = join(dir.path, 'v1.jsonl');
    await writeFile(
      file,
      [
        '{"format":"paddock-backup","version":1,"createdAt":"2025-01-01T00:00:00.000Z","store":"embedded"}',
        '{"collection":"people","id":"u-1","value":{"name":"Ada","email":"ada@x","groups":["devs"]}}',
        '{"end":true,"records":1}',
        '',
      ].join('\n'),
    );
    const target = embedded('v1');
    expect(await restoreFromFile(target, file, specs)).to.equal(1);
    expect((await target.collection(peopleSpec).get('u-1'))?.value.name).to.equal('Ada');
  });

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
