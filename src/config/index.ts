export type { ConfigProblem } from './config-error.js';
export { ConfigError } from './config-error.js';
export { configHelp } from './config-help.js';
export type { ConfigKey, ConfigKeyDefinition } from './config-keys.js';
export { configKeys } from './config-keys.js';
export type { LoadConfigInput, LoadedConfig } from './load-config.js';
export { configSections, loadConfig } from './load-config.js';
export type { PaddockConfig } from './paddock-config.js';
export { redactConfig } from './redact-config.js';
