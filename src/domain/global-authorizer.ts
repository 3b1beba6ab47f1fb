/**
 * What the GraphQL layer asks authorization about Paddock's own objects: may this identity do
 * this verb to this resource (the shape of `can()` in `src/rbac`), and which clusters may it
 * see. The composition root implements it over `src/rbac` and the stored bindings.
 */
import type { Identity } from './identity.js';

/** A verb on one of Paddock's own resources (`list users`, `get settings`, ...). */
export interface GlobalAccessRequest {
  readonly verb: string;
  /** A Paddock resource in `management.paddock.io`: `users`, `settings`, `apikeys`, ... */
  readonly resource: string;
  readonly name?: string;
}

export interface GlobalAuthorizer {
  /**
   * Global roles decide, except for one named cluster (`resource: 'clusters'` with `name`):
   * that is also allowed by the caller's bindings on that cluster (cluster-owner may update
   * and delete its cluster, as in Rancher).
   */
  allows(identity: Identity, request: GlobalAccessRequest): Promise<boolean>;
  /**
   * The clusters the identity holds any binding in (cluster or project), or `all` for those
   * who may list every cluster or hold cluster roles in every cluster through a global role.
   */
  visibleClusterIds(identity: Identity): Promise<'all' | ReadonlySet<string>>;
}
