/** Paddock's global settings as the API shows them (never secrets). */

export interface SettingView {
  readonly name: string;
  readonly value: string;
  readonly defaultValue: string;
  readonly description: string;
  /** `config` when fixed by flags, environment or file; `store` when changed at run time. */
  readonly source: 'default' | 'config' | 'store';
  /** True when only the configuration can change it. */
  readonly readOnly: boolean;
}

export interface SettingsReader {
  list(): Promise<readonly SettingView[]>;
  get(name: string): Promise<SettingView | undefined>;
}
