/**
 * Chooses the PasswordProvider for a login by name. Entries are replaced while Paddock runs
 * (a changed auth config re-registers its provider), so callers look up on every login.
 */
import type { PasswordProvider } from '../domain/password-provider.js';
import type { AccessMode } from '../domain/principal.js';

export interface ProviderAccess {
  readonly accessMode: AccessMode;
  /** Users or groups admitted by `restricted` and `required`. */
  readonly allowedPrincipalIds: readonly string[];
}

export interface PasswordProviderEntry {
  readonly provider: PasswordProvider;
  readonly access: ProviderAccess;
  /** Groups older than this are re-read in the background. Default one hour. */
  readonly groupRefreshMaxAgeSeconds?: number;
}

export const UNRESTRICTED: ProviderAccess = { accessMode: 'unrestricted', allowedPrincipalIds: [] };

export class PasswordProviderDispatcher {
  private readonly entries = new Map<string, PasswordProviderEntry>();

  /** Adds or replaces the provider of that name. */
  register(entry: PasswordProviderEntry): void {
    this.entries.set(entry.provider.name, entry);
  }

  unregister(name: string): boolean {
    return this.entries.delete(name);
  }

  get(name: string): PasswordProviderEntry | undefined {
    return this.entries.get(name);
  }

  /** Names of the providers a login form can offer. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }
}
