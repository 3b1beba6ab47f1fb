/**
 * What the caller's global roles allow (`me.can`), asked once for every place that needs it:
 * the navigation and the clusters page read the same cached answer.
 */
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { GlobalPermissionsQuery } from '../gql/graphql';

const GlobalPermissionsDocument = graphql(`
  query GlobalPermissions {
    me {
      id
      listUsers: can(verb: "list", resource: "users")
      listRoles: can(verb: "list", resource: "globalroles")
      listAuthConfigs: can(verb: "list", resource: "authconfigs")
      createClusters: can(verb: "create", resource: "clusters")
      deleteClusters: can(verb: "delete", resource: "clusters")
    }
  }
`);

export type GlobalPermission = Exclude<keyof GlobalPermissionsQuery['me'], 'id'>;

/** `undefined` until the answer comes (hide buttons until then); all false on an error. */
export function useGlobalPermissions(): Record<GlobalPermission, boolean> | undefined {
  const [result] = useQuery({ query: GlobalPermissionsDocument });
  if (result.data) return result.data.me;
  if (result.error) {
    return {
      listUsers: false,
      listRoles: false,
      listAuthConfigs: false,
      createClusters: false,
      deleteClusters: false,
    };
  }
  return undefined;
}
