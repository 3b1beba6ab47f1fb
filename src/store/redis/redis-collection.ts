import type {
  ChangeEvent,
  Collection,
  CollectionSpec,
  DeleteOptions,
  ListOptions,
  StoredRecord,
  Unsubscribe,
  UpdateOptions,
  WriteOptions,
} from '../../domain/store.js';
import { PaddockError } from '../../errors/index.js';
import type { ChangeHub } from '../shared/change-hub.js';
import { assertListableIndex, type IndexEntry, indexEntriesOf } from '../shared/index-entries.js';
import { idTaken, notFound, staleVersion, uniqueConflict } from '../shared/store-errors.js';
import { assertValidId, assertValidLimit, expiryOf, toJson } from '../shared/validation.js';
import {
  DELETE_SCRIPT,
  LIST_INDEX_SCRIPT,
  LIST_PREFIX_SCRIPT,
  WRITE_SCRIPT,
} from './lua-scripts.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { RedisScript } from './redis-script.js';

export const writeScript = new RedisScript(WRITE_SCRIPT);
const deleteScript = new RedisScript(DELETE_SCRIPT);
const listIndexScript = new RedisScript(LIST_INDEX_SCRIPT);
const listPrefixScript = new RedisScript(LIST_PREFIX_SCRIPT);

export interface RedisCollectionDeps {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly hub: ChangeHub;
  readonly now: () => number;
  /** Runs a Redis call, turning connection failures into STORE_UNAVAILABLE. */
  readonly call: <R>(fn: () => Promise<R>) => Promise<R>;
}

/** Index entries in the shape WRITE_SCRIPT expects. */
export function scriptEntries(entries: readonly IndexEntry[]): string {
  return JSON.stringify(entries.map((e) => [e.index, e.key, e.unique ? 1 : 0]));
}

/** One collection of the Redis store; every write is a single Lua script call. */
export class RedisCollection<T> implements Collection<T> {
  readonly name: string;

  constructor(
    private readonly spec: CollectionSpec<T>,
    private readonly deps: RedisCollectionDeps,
  ) {
    this.name = spec.name;
  }

  async get(id: string): Promise<StoredRecord<T> | undefined> {
    assertValidId(this.name, id);
    const { client, keys, call } = this.deps;
    const [value, rv, exp] = await call(() =>
      client.hmget(keys.record(this.name, id), 'v', 'rv', 'exp'),
    );
    if (value === null || value === undefined || rv === null || rv === undefined) return undefined;
    const stored = toStored<T>(id, value, rv, exp ?? '');
    if (stored.expiresAt !== undefined && stored.expiresAt <= this.deps.now()) return undefined;
    return stored;
  }

  async list(options: ListOptions = {}): Promise<StoredRecord<T>[]> {
    assertValidLimit(options.limit);
    if (options.limit === 0) return [];
    const { client, keys, call, now } = this.deps;
    const limit = options.limit ?? 0;
    let flat: unknown;
    if (options.index !== undefined) {
      assertListableIndex(this.spec as CollectionSpec<unknown>, options.index, options.value);
      const setKey = keys.indexSet(this.name, options.index, options.value);
      flat = await call(() =>
        listIndexScript.run(client, [setKey], [keys.base, this.name, now(), limit]),
      );
    } else {
      flat = await call(() =>
        listPrefixScript.run(
          client,
          [keys.ids(this.name)],
          [keys.base, this.name, options.idPrefix ?? '', now(), limit],
        ),
      );
    }
    const items = flat as string[];
    const out: StoredRecord<T>[] = [];
    for (let i = 0; i + 3 < items.length; i += 4) {
      out.push(toStored<T>(items[i]!, items[i + 1]!, items[i + 2]!, items[i + 3]!));
    }
    return out;
  }

  async create(id: string, value: T, options: WriteOptions = {}): Promise<StoredRecord<T>> {
    return this.write('create', id, value, options.ttlSeconds, undefined);
  }

  async update(id: string, value: T, options: UpdateOptions = {}): Promise<StoredRecord<T>> {
    return this.write('update', id, value, options.ttlSeconds, options.resourceVersion);
  }

  async delete(id: string, options: DeleteOptions = {}): Promise<boolean> {
    assertValidId(this.name, id);
    const { client, keys, call, now } = this.deps;
    const reply = (await call(() =>
      deleteScript.run(
        client,
        [keys.record(this.name, id)],
        [keys.base, this.name, id, options.resourceVersion ?? '', now()],
      ),
    )) as string[];
    switch (reply[0]) {
      case 'OK':
        return true;
      case 'NOT_FOUND':
        return false;
      case 'CONFLICT_RV':
        throw staleVersion(this.name, id);
      default:
        throw unexpectedReply(reply);
    }
  }

  watch(listener: (event: ChangeEvent<T>) => void): Unsubscribe {
    return this.deps.hub.add(this.name, listener as (event: ChangeEvent<unknown>) => void);
  }

  private async write(
    mode: 'create' | 'update',
    id: string,
    value: T,
    ttlSeconds: number | undefined,
    expectedVersion: string | undefined,
  ): Promise<StoredRecord<T>> {
    assertValidId(this.name, id);
    const { client, keys, call, now } = this.deps;
    const json = toJson(this.name, value);
    const copy = JSON.parse(json) as T;
    const entries = indexEntriesOf(this.spec, copy);
    const nowMs = now();
    const expiresAt = expiryOf(this.name, ttlSeconds, nowMs);
    const reply = (await call(() =>
      writeScript.run(
        client,
        [keys.record(this.name, id)],
        [
          keys.base,
          mode,
          this.name,
          id,
          json,
          expectedVersion ?? '',
          expiresAt === undefined ? '' : String(expiresAt),
          nowMs,
          scriptEntries(entries),
        ],
      ),
    )) as string[];
    switch (reply[0]) {
      case 'OK':
        return toStored<T>(id, json, reply[1]!, reply[2] ?? '');
      case 'CONFLICT_ID':
        throw idTaken(this.name, id);
      case 'NOT_FOUND':
        throw notFound(this.name, id);
      case 'CONFLICT_RV':
        throw staleVersion(this.name, id);
      case 'CONFLICT_UNIQUE':
        throw uniqueConflict(this.name, { index: reply[1]!, key: reply[2]!, unique: true });
      default:
        throw unexpectedReply(reply);
    }
  }
}

function toStored<T>(id: string, json: string, rv: string, exp: string): StoredRecord<T> {
  return {
    id,
    resourceVersion: rv,
    ...(exp === '' ? {} : { expiresAt: Number(exp) }),
    value: JSON.parse(json) as T,
  };
}

function unexpectedReply(reply: unknown): PaddockError {
  return new PaddockError('INTERNAL', `Unexpected reply from a store script: ${String(reply)}`);
}
