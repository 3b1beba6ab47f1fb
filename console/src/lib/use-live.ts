/**
 * Live updates: a subscription's events re-run the page's query, coalesced so a burst of
 * changes (a rollout) costs one refetch per half second.
 */
import { useEffect, useRef } from 'react';
import { type AnyVariables, type TypedDocumentNode, useSubscription } from 'urql';

export function useRefetchOn<Data, Variables extends AnyVariables>(
  query: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  refetch: () => void,
  pause = false,
): void {
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latest = useRef(refetch);
  latest.current = refetch;
  const [result] = useSubscription({ query, variables, pause });
  useEffect(() => {
    if (result.data === undefined) return;
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, 500);
  }, [result.data]);
  useEffect(() => () => clearTimeout(timer.current), []);
}
