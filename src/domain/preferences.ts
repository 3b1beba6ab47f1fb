/** A user's own UI preferences, kept in the store per user id. */

export type ThemePreference = 'light' | 'dark' | 'system';

export interface UserPreferences {
  readonly theme: ThemePreference;
  /** BCP 47 tag, e.g. `en` or `de-CH`; empty = the browser's. */
  readonly language: string;
  /** Rows per page in lists. */
  readonly pageSize: number;
  /** The cluster the UI opens on; empty = none. */
  readonly defaultClusterId: string;
}

export const DEFAULT_PREFERENCES: UserPreferences = {
  theme: 'system',
  language: '',
  pageSize: 50,
  defaultClusterId: '',
};

export interface PreferencesStore {
  /** The user's preferences, defaults filled in. */
  get(userId: string): Promise<UserPreferences>;
  /** Applies the given fields and returns the result; validation is the caller's. */
  update(userId: string, changes: Partial<UserPreferences>): Promise<UserPreferences>;
}
