export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export { maskPassword, parseRedisUrl, type RedisTarget } from './redis-url.js';
