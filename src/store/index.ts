export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded/index.js';
export { RedisStore, type RedisStoreOptions } from './redis/index.js';
export { maskPassword, parseRedisUrl, type RedisTarget } from './redis/redis-url.js';
export type { StoreLogger } from './shared/store-logger.js';
