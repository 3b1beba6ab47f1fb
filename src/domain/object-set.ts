/**
 * Paddock-owned objects in a downstream cluster beyond RBAC (the log collector, later others):
 * a named set of objects is made to exist exactly as given, labelled `paddock.io/owned=true`
 * and `paddock.io/object-set=<set>`, repaired when edited by hand, and removed when no longer
 * wanted. The RBAC push-down's mechanics implement it (`src/datasources/rbac-sync`).
 */
import type { KubeObject } from './kube-api.js';

export interface ObjectSetOutcome {
  readonly changes: readonly {
    readonly action: 'create' | 'update' | 'delete';
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
  }[];
  /** Writes the cluster refused. */
  readonly failures: readonly string[];
}

/** A named set: the kinds it may hold and the one namespace its namespaced objects live in. */
export interface ObjectSetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly kinds: readonly string[];
}

export interface ObjectSetSync {
  /** Makes the set in the cluster equal `objects`; `[]` removes every object of the set. */
  apply(
    clusterId: string,
    set: ObjectSetSpec,
    objects: readonly KubeObject[],
  ): Promise<ObjectSetOutcome>;
}

export const OBJECT_SET_LABEL = 'paddock.io/object-set';
