export {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupSummary,
  backupToFile,
  readBackupFile,
  restoreFromFile,
} from './backup-file.js';
export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded/index.js';
export { type OpenStoreOptions, openStore } from './open-store.js';
export { RedisStore, type RedisStoreOptions } from './redis/index.js';
export { maskPassword, parseRedisUrl, type RedisTarget } from './redis/redis-url.js';
export {
  createStoreSettings,
  PADDOCK_SETTINGS,
  type SettingDefinition,
  type SettingRecord,
  type StoreSettingsOptions,
  settingsCollection,
} from './settings-store.js';
export type { StoreLogger } from './shared/store-logger.js';
