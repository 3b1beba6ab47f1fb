import type { Store } from '../domain/store.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import { RedisStore } from './redis/redis-store.js';
import type { StoreLogger } from './shared/store-logger.js';

export interface OpenStoreOptions {
  /** When set, the Redis store is used; otherwise the embedded store in `dataDir`. */
  readonly redisUrl?: string;
  readonly dataDir: string;
  /** Redis key prefix (default `paddock:`). */
  readonly keyPrefix?: string;
  readonly logger?: StoreLogger;
  readonly now?: () => number;
  /** 0 turns off the expiry sweeper, e.g. for a one-shot backup command. */
  readonly sweepIntervalMs?: number;
  /** Embedded store: refuse writes below this much free disk space (default 64 MiB). */
  readonly minFreeBytes?: number;
}

/** Opens the configured Store backend. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const common = {
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: options.sweepIntervalMs }),
  };
  if (options.redisUrl !== undefined && options.redisUrl !== '') {
    const store = await RedisStore.open({
      url: options.redisUrl,
      ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
      ...common,
    });
    options.logger?.info({ store: 'redis' }, 'store opened');
    return store;
  }
  const store = EmbeddedStore.open({
    dataDir: options.dataDir,
    ...common,
    ...(options.minFreeBytes === undefined ? {} : { minFreeBytes: options.minFreeBytes }),
  });
  options.logger?.info({ store: 'embedded', dataDir: options.dataDir }, 'store opened');
  return store;
}
