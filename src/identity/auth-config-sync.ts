/**
 * Keeps the provider dispatcher in line with the auth configs in the store, so a config edited
 * on any replica takes effect everywhere without a restart.
 */
import type { PasswordProvider } from '../domain/password-provider.js';
import type { RedirectProvider } from '../domain/redirect-provider.js';
import type { Unsubscribe } from '../domain/store.js';
import type { AuthConfigStore } from './auth-configs.js';
import type { AuthConfigRecord } from './collections.js';
import type { ProviderDispatcher, ProviderEntry } from './provider-dispatcher.js';

/** Builds a provider from its opened settings; throws CONFIG_INVALID for bad settings. */
export type ProviderFactory = (
  settings: Record<string, unknown>,
) => PasswordProvider | RedirectProvider | Promise<PasswordProvider | RedirectProvider>;

export interface AuthConfigSyncOptions {
  /** A config that cannot be turned into a provider; that provider is then unavailable. */
  readonly onError?: (err: unknown, provider: string) => void;
}

export class AuthConfigSync {
  private readonly configs: AuthConfigStore;
  private readonly providers: ProviderDispatcher;
  private readonly factories: Readonly<Partial<Record<string, ProviderFactory>>>;
  private readonly onError: (err: unknown, provider: string) => void;
  /** Entries registered before start (the local provider), restored when their config goes. */
  private readonly baseline = new Map<string, ProviderEntry>();
  private readonly queues = new Map<string, Promise<void>>();
  private unsubscribe: Unsubscribe | undefined;

  constructor(
    configs: AuthConfigStore,
    providers: ProviderDispatcher,
    factories: Readonly<Partial<Record<string, ProviderFactory>>>,
    options: AuthConfigSyncOptions = {},
  ) {
    this.configs = configs;
    this.providers = providers;
    this.factories = factories;
    this.onError = options.onError ?? (() => undefined);
  }

  async start(): Promise<void> {
    for (const { name } of this.providers.list()) {
      const entry = this.providers.any(name);
      if (entry) this.baseline.set(name, entry);
    }
    this.unsubscribe ??= this.configs.collection.watch((e) => {
      void this.refresh(e.id);
    });
    await Promise.all((await this.configs.collection.list()).map((r) => this.refresh(r.id)));
  }

  /** The factory that builds `provider` from opened settings (to try settings unsaved). */
  factoryFor(provider: string): ProviderFactory | undefined {
    return this.factories[provider];
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Re-reads one provider's config and re-registers it; serial per provider. */
  refresh(provider: string): Promise<void> {
    const run = (this.queues.get(provider) ?? Promise.resolve()).then(() => this.apply(provider));
    const settled = run.catch((err: unknown) => this.onError(err, provider));
    this.queues.set(provider, settled);
    return settled;
  }

  private async apply(name: string): Promise<void> {
    const record = (await this.configs.collection.get(name))?.value;
    const baseline = this.baseline.get(name);
    if (baseline) {
      // Built-in providers (local) cannot be switched off here, only their access changed.
      this.providers.register(record ? { ...baseline, ...accessOf(record) } : baseline);
      return;
    }
    if (!record?.enabled) {
      this.providers.unregister(name);
      return;
    }
    const factory = this.factories[name];
    if (!factory) {
      this.providers.unregister(name);
      return;
    }
    try {
      const provider = await factory(this.configs.openSettings(record));
      this.providers.register({ provider, ...accessOf(record) } as ProviderEntry);
    } catch (err) {
      this.providers.unregister(name);
      throw err;
    }
  }
}

function accessOf(record: AuthConfigRecord): Omit<ProviderEntry, 'provider'> {
  return {
    access: { accessMode: record.accessMode, allowedPrincipalIds: record.allowedPrincipalIds },
    ...(record.groupRefreshMaxAgeSeconds === undefined
      ? {}
      : { groupRefreshMaxAgeSeconds: record.groupRefreshMaxAgeSeconds }),
  };
}
