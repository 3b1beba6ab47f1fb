import { Cluster, type Redis } from 'ioredis';
import type {
  BackupRecord,
  ChangeEvent,
  Collection,
  CollectionSpec,
  Store,
  Unsubscribe,
} from '../../domain/store.js';
import { isPaddockError, PaddockError } from '../../errors/index.js';
import { ChangeHub } from '../shared/change-hub.js';
import { planImport } from '../shared/import-plan.js';
import { storeUnavailable } from '../shared/store-errors.js';
import type { StoreLogger } from '../shared/store-logger.js';
import { assertValidSpec } from '../shared/validation.js';
import { SWEEP_SCRIPT } from './lua-scripts.js';
import { RedisCollection, scriptEntries, writeScript } from './redis-collection.js';
import { createRedisClient, type RedisClient } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { RedisScript } from './redis-script.js';
import { maskPassword, parseRedisUrl } from './redis-url.js';

const sweepScript = new RedisScript(SWEEP_SCRIPT);

export interface RedisStoreOptions {
  /** `redis://`, `rediss://`, `redis+sentinel://` or `redis+cluster://` (see redis-url.ts). */
  readonly url: string;
  /** Prefix of every key (inside a `{}` hash tag); default `paddock:`. */
  readonly keyPrefix?: string;
  readonly logger?: StoreLogger;
  readonly now?: () => number;
  /** How often this replica sweeps expired records; 0 disables it. */
  readonly sweepIntervalMs?: number;
  readonly sweepBatchSize?: number;
  /** How long `open` waits for Redis before failing with STORE_UNAVAILABLE. */
  readonly connectTimeoutMs?: number;
}

/**
 * The Store for several replicas: records in Redis, writes as atomic Lua scripts, and change
 * events over pub/sub so every replica's watchers see every change.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly hub: ChangeHub;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private feedLive = true;
  private readonly feedListeners = new Set<(live: boolean) => void>();

  private constructor(
    private readonly client: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly keys: RedisKeys,
    private readonly now: () => number,
    private readonly logger: StoreLogger | undefined,
  ) {
    this.hub = new ChangeHub(logger);
  }

  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const target = parseRedisUrl(options.url);
    const prefix = options.keyPrefix ?? 'paddock:';
    if (prefix === '' || /[{}]/.test(prefix)) {
      throw new PaddockError(
        'CONFIG_INVALID',
        `Invalid Redis key prefix "${prefix}": it must be non-empty and contain no braces`,
      );
    }
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const client = createRedisClient(target, { connectTimeoutMs });
    const subscriber = client.duplicate();
    const logger = options.logger;
    const where = maskPassword(options.url);
    for (const [role, connection] of [
      ['commands', client],
      ['subscriber', subscriber],
    ] as const) {
      connection.on('error', (error: Error) => {
        logger?.warn({ err: error, redis: where, connection: role }, 'Redis connection error');
      });
    }
    const store = new RedisStore(
      client,
      subscriber,
      new RedisKeys(prefix),
      options.now ?? Date.now,
      logger,
    );
    try {
      await withTimeout(
        subscriber.subscribe(store.keys.channel),
        connectTimeoutMs,
        `Redis at ${where} did not answer within ${connectTimeoutMs} ms`,
      );
    } catch (error) {
      client.disconnect();
      subscriber.disconnect();
      throw storeUnavailable(`Cannot connect to Redis at ${where}`, error);
    }
    subscriber.on('message', (_channel: string, message: string) => store.receive(message));
    // Events published while the subscriber is away are gone for good: caches must know.
    subscriber.on('close', () => store.setFeedLive(false));
    // ioredis says `ready` before its own resubscription is sent: live only once Redis has
    // confirmed a subscription (replies come in order), so nothing published after the
    // caches were dropped can be missed.
    subscriber.on('ready', () => {
      subscriber.subscribe(store.keys.channel).then(
        () => store.setFeedLive(true),
        () => undefined,
      );
    });
    store.startSweeper(options.sweepIntervalMs ?? 1000, options.sweepBatchSize ?? 200);
    return store;
  }

  collection<T>(spec: CollectionSpec<T>): Collection<T> {
    assertValidSpec(spec as CollectionSpec<unknown>);
    return new RedisCollection<T>(spec, {
      client: this.client,
      keys: this.keys,
      hub: this.hub,
      now: this.now,
      call: (fn) => this.call(fn),
    });
  }

  async ping(): Promise<void> {
    await this.call(() => withTimeout(this.client.ping(), 2000, 'Redis did not answer PING'));
  }

  async *exportRecords(): AsyncIterable<BackupRecord> {
    const { client, keys } = this;
    const nowMs = this.now();
    const collections = (await this.call(() => client.smembers(keys.collections))).sort();
    for (const collection of collections) {
      const ids = await this.call(() => client.zrangebylex(keys.ids(collection), '-', '+'));
      for (let start = 0; start < ids.length; start += 200) {
        const chunk = ids.slice(start, start + 200);
        const rows = await this.call(() =>
          Promise.all(chunk.map((id) => client.hmget(keys.record(collection, id), 'v', 'exp'))),
        );
        for (const [i, [value, exp]] of rows.entries()) {
          if (value === null || value === undefined) continue;
          const expiresAt = exp === null || exp === undefined ? undefined : Number(exp);
          if (expiresAt !== undefined && expiresAt <= nowMs) continue;
          yield {
            collection,
            id: chunk[i]!,
            value: JSON.parse(value) as unknown,
            ...(expiresAt === undefined ? {} : { expiresAt }),
          };
        }
      }
    }
  }

  async importRecords(
    records: AsyncIterable<BackupRecord>,
    specs: readonly CollectionSpec<unknown>[],
  ): Promise<number> {
    const nowMs = this.now();
    const planned = await planImport(records, specs, nowMs);
    const { client, keys } = this;
    await this.call(() => this.deleteAllKeysExceptVersion());
    // Redis cannot swap the whole content atomically; the plan was validated first, so what
    // remains is only a connection loss midway (re-run the restore then).
    for (let start = 0; start < planned.length; start += 100) {
      const chunk = planned.slice(start, start + 100);
      await this.call(() =>
        Promise.all(
          chunk.map((record) =>
            writeScript.run(
              client,
              [keys.record(record.collection, record.id)],
              [
                keys.base,
                'import',
                record.collection,
                record.id,
                record.json,
                '',
                record.expiresAt === undefined ? '' : String(record.expiresAt),
                nowMs,
                scriptEntries(record.entries),
              ],
            ),
          ),
        ),
      );
    }
    return planned.length;
  }

  onFeedState(listener: (live: boolean) => void): Unsubscribe {
    this.feedListeners.add(listener);
    return () => this.feedListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.feedListeners.clear();
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.hub.clear();
    await Promise.all(
      [this.subscriber, this.client].map((connection) =>
        connection.quit().catch(() => connection.disconnect()),
      ),
    );
  }

  private setFeedLive(live: boolean): void {
    if (this.closed || live === this.feedLive) return;
    this.feedLive = live;
    this.logger?.warn(
      { feed: live ? 'live' : 'interrupted' },
      live
        ? 'Redis store: change feed resubscribed; caches fed by it start afresh'
        : 'Redis store: change feed interrupted; caches fed by it are not trusted until it is back',
    );
    for (const listener of [...this.feedListeners]) {
      try {
        listener(live);
      } catch (error) {
        this.logger?.warn({ err: error }, 'Redis store: feed state listener threw');
      }
    }
  }

  private receive(message: string): void {
    let event: ChangeEvent<unknown>;
    try {
      event = JSON.parse(message) as ChangeEvent<unknown>;
    } catch (error) {
      this.logger?.warn({ err: error }, 'Redis store: unreadable change event');
      return;
    }
    this.hub.emit(event);
  }

  private startSweeper(intervalMs: number, batchSize: number): void {
    if (intervalMs <= 0) return;
    this.sweepTimer = setInterval(() => {
      sweepScript
        .run(this.client, [this.keys.expiry], [this.keys.base, String(this.now()), batchSize])
        .catch((error: unknown) => {
          this.logger?.warn({ err: error }, 'Redis store: expiry sweep failed');
        });
    }, intervalMs);
    // The sweeper alone must never keep the process alive.
    this.sweepTimer.unref();
  }

  private async deleteAllKeysExceptVersion(): Promise<void> {
    const nodes: Redis[] =
      this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', this.keys.pattern, 'COUNT', 500);
        cursor = next;
        const doomed = found.filter((key) => key !== this.keys.version);
        if (doomed.length > 0) await node.del(...doomed);
      } while (cursor !== '0');
    }
  }

  private async call<R>(fn: () => Promise<R>): Promise<R> {
    if (this.closed) throw new PaddockError('STORE_UNAVAILABLE', 'The store is closed');
    try {
      return await fn();
    } catch (error) {
      if (isPaddockError(error)) throw error;
      throw storeUnavailable('Redis did not complete a store operation', error);
    }
  }
}

function withTimeout<R>(promise: Promise<R>, ms: number, message: string): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
