/**
 * Who is signed in, from `me`. The session itself is the HttpOnly `paddock_session` cookie
 * that `/v1/auth/login` (or an OIDC/GitHub callback) set; the console never sees the token.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import { useQuery } from 'urql';
import { isUnauthenticated } from '../api/errors.js';
import { graphql } from '../gql';
import type { MeQuery } from '../gql/graphql';

export const MeDocument = graphql(`
  query Me {
    me {
      id
      username
      displayName
      provider
      tokenKind
      mustChangePassword
      preferences {
        theme
        language
        pageSize
        defaultClusterId
      }
    }
  }
`);

export type Me = MeQuery['me'];

type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'anonymous'; readonly error?: string }
  | { readonly status: 'signed-in'; readonly me: Me };

interface SessionValue {
  readonly state: SessionState;
  /** Asks `me` again (after login, password change or preference change). */
  refresh(): void;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [result, reexecute] = useQuery({ query: MeDocument, requestPolicy: 'network-only' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const state: SessionState = useMemo(() => {
    if (result.data?.me) return { status: 'signed-in', me: result.data.me };
    if (result.fetching) return { status: 'loading' };
    if (result.error && !isUnauthenticated(result.error)) {
      return { status: 'anonymous', error: result.error.message };
    }
    return { status: 'anonymous' };
  }, [result]);
  return <SessionContext.Provider value={{ state, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in caller; only for components under the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a session');
  return state.me;
}
