/**
 * Ports the composition root can use until a dedicated implementation exists: principal
 * search across the password providers, and settings from a fixed list.
 */
import type { Principal } from '../../domain/principal.js';
import type { SettingsReader, SettingView } from '../../domain/settings.js';
import type { PrincipalSearch } from '../../domain/user-directory.js';

/** Anything that can search principals: a PasswordProvider fits. */
export interface PrincipalSource {
  searchPrincipals(query: string, options?: { limit?: number }): Promise<Principal[]>;
}

/**
 * Asks every source concurrently and merges by principal id; a source that fails (an LDAP
 * server down) contributes nothing rather than failing the search.
 */
export function principalSearchAcross(
  sources: () => readonly PrincipalSource[],
  onSourceError: (err: unknown) => void = () => undefined,
): PrincipalSearch {
  return {
    async search(text, { limit }) {
      const answers = await Promise.allSettled(
        sources().map((s) => s.searchPrincipals(text, { limit })),
      );
      const found = new Map<string, Principal>();
      for (const answer of answers) {
        if (answer.status === 'rejected') {
          onSourceError(answer.reason);
          continue;
        }
        for (const p of answer.value) if (!found.has(p.id)) found.set(p.id, p);
      }
      return [...found.values()]
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
        .slice(0, limit);
    },
  };
}

/** Settings that only configuration can change. */
export function staticSettings(settings: readonly SettingView[]): SettingsReader {
  const byName = new Map(settings.map((s) => [s.name, s]));
  return {
    async list() {
      return [...byName.values()];
    },
    async get(name) {
      return byName.get(name);
    },
  };
}
