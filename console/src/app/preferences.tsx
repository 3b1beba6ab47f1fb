/**
 * The caller's UI preferences (theme, language, page size), stored with the user through
 * `updatePreferences`, applied at once: the theme as `data-theme` on <html>, following the
 * system's colour scheme when set to SYSTEM.
 */
import { useCallback, useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { Theme, UpdatePreferencesInput } from '../gql/graphql';
import { useMe, useSession } from './session.js';

const UpdatePreferencesDocument = graphql(`
  mutation UpdatePreferences($input: UpdatePreferencesInput!) {
    updatePreferences(input: $input) {
      theme
      language
      pageSize
      defaultClusterId
    }
  }
`);

function systemDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

/** Applies a theme; with SYSTEM it follows the operating system's changes live. */
export function useAppliedTheme(theme: Theme | undefined): void {
  const [dark, setDark] = useState(systemDark);
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (query === undefined) return undefined;
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  const effective = theme === 'DARK' || (theme !== 'LIGHT' && dark) ? 'dark' : 'light';
  useEffect(() => {
    document.documentElement.dataset.theme = effective;
  }, [effective]);
}

export function usePreferences() {
  const me = useMe();
  const { refresh } = useSession();
  const [state, update] = useMutation(UpdatePreferencesDocument);
  const save = useCallback(
    async (input: UpdatePreferencesInput) => {
      const result = await update({ input });
      if (!result.error) refresh();
      return result.error;
    },
    [update, refresh],
  );
  return { preferences: me.preferences, save, saving: state.fetching };
}

export function usePageSize(): number {
  return useMe().preferences.pageSize || 25;
}
