/**
 * Settings an administrator changes at run time, kept in the store. A setting fixed by
 * configuration (flags, environment, file) is read-only here.
 */
import type { SettingsReader, SettingView } from './settings.js';

/** Names of the settings Paddock itself reads. */
export const SETTING_SERVER_URL = 'server-url';
export const SETTING_DEFAULT_IMAGE_REGISTRY = 'default-image-registry';
export const SETTING_KUBECONFIG_TOKEN_TTL_DAYS = 'kubeconfig-token-ttl-days';
export const SETTING_UI_BANNER = 'ui-banner';
/** Rancher's names: lifetime of new sessions, and how long an unused session lives. */
export const SETTING_SESSION_TTL_MINUTES = 'auth-user-session-ttl-minutes';
export const SETTING_SESSION_IDLE_TTL_MINUTES = 'auth-user-session-idle-ttl-minutes';

export interface SettingsAdmin extends SettingsReader {
  /**
   * Sets a setting, or resets it to its default when `value` is null. `NOT_FOUND` for an
   * unknown name, `FORBIDDEN` (reason `read_only`) for one fixed by configuration,
   * `VALIDATION_FAILED` for a value the setting does not take.
   */
  set(name: string, value: string | null): Promise<SettingView>;
}
