/** Turns urql's CombinedError into the message and code a person should see. */
import type { CombinedError } from 'urql';

export interface ShownError {
  readonly message: string;
  readonly code?: string;
}

export function shownError(error: CombinedError | undefined): ShownError | undefined {
  if (error === undefined) return undefined;
  const first = error.graphQLErrors[0];
  if (first !== undefined) {
    const code = first.extensions?.code;
    return { message: first.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: error.networkError?.message ?? error.message };
}

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  if (error === undefined) return false;
  if (error.response?.status === 401) return true;
  return error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}
