export {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupContents,
  type BackupHeader,
  type BackupOptions,
  type BackupSummary,
  backupToFile,
  readBackupFile,
  restoreFromFile,
} from './backup-file.js';
export { checksummedLine, FileSum } from './backup-format.js';
export {
  type BackupKeyBundle,
  checkPassphrase,
  MIN_PASSPHRASE_LENGTH,
  openBackupKeys,
  type SealedBackupKeys,
  sealBackupKeys,
} from './backup-keys.js';
export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded/index.js';
export { type OpenStoreOptions, openStore } from './open-store.js';
export { RedisStore, type RedisStoreOptions } from './redis/index.js';
export { maskPassword, parseRedisUrl, type RedisTarget } from './redis/redis-url.js';
export { ScheduledBackups, type ScheduledBackupsOptions } from './scheduled-backups.js';
export {
  OLDEST_COMPATIBLE_SCHEMA,
  STORE_SCHEMA_VERSION,
  storeMigrations,
} from './schema/migrations.js';
export {
  type Migration,
  migrateStore,
  type SchemaTarget,
  type StoreSchemaRecord,
  storeSchemaCollection,
} from './schema/store-schema.js';
export {
  createStoreSettings,
  PADDOCK_SETTINGS,
  type SettingDefinition,
  type SettingRecord,
  type StoreSettingsOptions,
  settingsCollection,
} from './settings-store.js';
export type { StoreLogger } from './shared/store-logger.js';
export { StoreStatusBoard, type StoreStatusBoardOptions } from './shared-status-board.js';
