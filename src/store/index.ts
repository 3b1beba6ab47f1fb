export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded/index.js';
export type { StoreLogger } from './shared/store-logger.js';
