/**
 * Whether the caller may write, so a read-only member sees no write buttons. Asked of
 * `explainAccess` about the caller itself (anyone may ask about themselves): `allowed` is the
 * cluster's own verdict, `allowedByPaddock` is Paddock's for its own objects (members).
 * The API still refuses a write either way; this only keeps the page honest.
 */
import { useQuery } from 'urql';
import { useMe } from '../app/session.js';
import { graphql } from '../gql';

const CanDocument = graphql(`
  query Can($principal: ID!, $clusterId: ID!, $verb: String!, $resource: String!, $namespace: String) {
    explainAccess(
      principal: $principal
      clusterId: $clusterId
      verb: $verb
      resource: $resource
      namespace: $namespace
    ) {
      allowed
      allowedByPaddock
    }
  }
`);

export const PADDOCK_GROUP = 'management.paddock.io';

/** `undefined` while unknown (hide the button until the answer comes). */
export function useCan(
  clusterId: string,
  verb: string,
  resource: string,
  namespace?: string,
): boolean | undefined {
  const me = useMe();
  const paddockObject = resource.endsWith(`.${PADDOCK_GROUP}`);
  const [result] = useQuery({
    query: CanDocument,
    variables: { principal: me.id, clusterId, verb, resource, namespace: namespace ?? null },
    pause: clusterId === '' || (namespace !== undefined && namespace === ''),
  });
  const answer = result.data?.explainAccess;
  if (answer === undefined) return result.error ? false : undefined;
  return paddockObject ? answer.allowedByPaddock : answer.allowed;
}
