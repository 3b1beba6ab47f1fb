/** Whether the caller's global roles allow a verb on a Paddock resource (`me.can`). */
import { useQuery } from 'urql';
import { graphql } from '../gql';

const GlobalCanDocument = graphql(`
  query GlobalCan($verb: String!, $resource: String!) {
    me {
      id
      can(verb: $verb, resource: $resource)
    }
  }
`);

/** `undefined` while unknown: hide the button until the answer comes. */
export function useGlobalCan(verb: string, resource: string): boolean | undefined {
  const [result] = useQuery({ query: GlobalCanDocument, variables: { verb, resource } });
  if (result.error) return false;
  return result.data?.me.can;
}
