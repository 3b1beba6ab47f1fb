/**
 * Chooses the provider for a login by name: password providers (local, OpenLDAP, Active
 * Directory) and redirect providers (GitHub, OIDC). Entries are replaced while Paddock runs
 * (a changed auth config re-registers its provider), so callers look up on every login.
 */
import type { PasswordProvider } from '../domain/password-provider.js';
import type { AccessMode } from '../domain/principal.js';
import type { RedirectProvider } from '../domain/redirect-provider.js';

export interface ProviderAccess {
  readonly accessMode: AccessMode;
  /** Users or groups admitted by `restricted` and `required`. */
  readonly allowedPrincipalIds: readonly string[];
}

interface EntryOptions {
  readonly access: ProviderAccess;
  /** Groups older than this are re-read in the background. Default one hour. */
  readonly groupRefreshMaxAgeSeconds?: number;
}

export interface PasswordProviderEntry extends EntryOptions {
  readonly provider: PasswordProvider;
}

export interface RedirectProviderEntry extends EntryOptions {
  readonly provider: RedirectProvider;
}

export type ProviderEntry = PasswordProviderEntry | RedirectProviderEntry;

export const UNRESTRICTED: ProviderAccess = { accessMode: 'unrestricted', allowedPrincipalIds: [] };

export function isRedirectEntry(entry: ProviderEntry): entry is RedirectProviderEntry {
  return 'start' in entry.provider && 'finish' in entry.provider;
}

export class ProviderDispatcher {
  private readonly entries = new Map<string, ProviderEntry>();
  private readonly listeners = new Set<() => void>();

  /** Adds or replaces the provider of that name. */
  register(entry: ProviderEntry): void {
    this.entries.set(entry.provider.name, entry);
    this.changed();
  }

  unregister(name: string): boolean {
    const removed = this.entries.delete(name);
    if (removed) this.changed();
    return removed;
  }

  /** Runs `listener` after every register or unregister (access rules may have changed). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The password provider of that name (undefined for an unknown or a redirect provider). */
  get(name: string): PasswordProviderEntry | undefined {
    const entry = this.entries.get(name);
    return entry && !isRedirectEntry(entry) ? entry : undefined;
  }

  redirect(name: string): RedirectProviderEntry | undefined {
    const entry = this.entries.get(name);
    return entry && isRedirectEntry(entry) ? entry : undefined;
  }

  /** Any provider of that name, for background group refreshes. */
  any(name: string): ProviderEntry | undefined {
    return this.entries.get(name);
  }

  /** Names of the providers a login page can offer, with how each logs in. */
  list(): { name: string; kind: 'password' | 'redirect' }[] {
    return [...this.entries.values()]
      .map((e) => ({
        name: e.provider.name,
        kind: isRedirectEntry(e) ? ('redirect' as const) : ('password' as const),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
