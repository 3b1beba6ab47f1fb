/**
 * What the global layer asks authorization: may this identity do a global thing, and which
 * clusters may it see. `src/rbac` (global roles, cluster and project bindings) implements it.
 */
import type { Identity } from './identity.js';

/** Named after the global roles that grant them; `admin` grants every one. */
export type GlobalPermission =
  | 'users-view'
  | 'users-manage'
  | 'clusters-view-all'
  | 'clusters-create'
  | 'settings-manage'
  | 'authn-manage'
  | 'roles-manage';

export interface GlobalAuthorizer {
  hasPermission(identity: Identity, permission: GlobalPermission): Promise<boolean>;
  /**
   * The clusters the identity is a member of (cluster or project binding), or `all` for those
   * who may see every cluster.
   */
  visibleClusterIds(identity: Identity): Promise<'all' | ReadonlySet<string>>;
}
