// Reads RBAC objects from a cluster's store for the authorizer, cached until an RBAC object
// changes (authorization runs on every request; parsing bindings each time would dominate).

import type { ObjectStore } from '../storage/object-store.js';
import { asArray, asObject, asString, type JsonObject } from '../storage/types.js';
import type { Binding, PolicyRule, RbacSource } from './rbac-authorizer.js';

const G = 'rbac.authorization.k8s.io';
export const CLUSTER_ROLES = `clusterroles.${G}`;
export const CLUSTER_ROLE_BINDINGS = `clusterrolebindings.${G}`;
export const ROLES = `roles.${G}`;
export const ROLE_BINDINGS = `rolebindings.${G}`;
const RBAC_KEYS = new Set([CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS, ROLES, ROLE_BINDINGS]);

function toBinding(obj: JsonObject): Binding {
  const meta = asObject(obj.metadata);
  const ref = asObject(obj.roleRef);
  return {
    name: asString(meta.name),
    namespace: asString(meta.namespace),
    roleRef: {
      kind: asString(ref.kind),
      name: asString(ref.name),
      apiGroup: asString(ref.apiGroup),
    },
    subjects: asArray(obj.subjects).map((s) => ({
      kind: asString(s.kind),
      name: asString(s.name),
      namespace: asString(s.namespace) || undefined,
    })),
  };
}

function toRules(obj: JsonObject): PolicyRule[] {
  return asArray(obj.rules).map((r) => ({
    verbs: Array.isArray(r.verbs) ? r.verbs.map(String) : [],
    apiGroups: Array.isArray(r.apiGroups) ? r.apiGroups.map(String) : undefined,
    resources: Array.isArray(r.resources) ? r.resources.map(String) : undefined,
    resourceNames: Array.isArray(r.resourceNames) ? r.resourceNames.map(String) : undefined,
    nonResourceURLs: Array.isArray(r.nonResourceURLs) ? r.nonResourceURLs.map(String) : undefined,
  }));
}

export class StoreRbacSource implements RbacSource {
  private crbs: Binding[] | undefined;
  private readonly rbs = new Map<string, Binding[]>();
  private readonly clusterRoles = new Map<string, PolicyRule[] | null>();
  private readonly roles = new Map<string, PolicyRule[] | null>();

  constructor(private readonly store: ObjectStore) {
    store.subscribe((e) => {
      if (RBAC_KEYS.has(e.typeKey)) this.invalidate();
    });
  }

  invalidate(): void {
    this.crbs = undefined;
    this.rbs.clear();
    this.clusterRoles.clear();
    this.roles.clear();
  }

  clusterRoleBindings(): Binding[] {
    if (!this.crbs) {
      this.crbs = this.store.list(CLUSTER_ROLE_BINDINGS).map((s) => toBinding(JSON.parse(s.json)));
    }
    return this.crbs;
  }

  roleBindings(namespace: string): Binding[] {
    let out = this.rbs.get(namespace);
    if (!out) {
      out = this.store.list(ROLE_BINDINGS, namespace).map((s) => toBinding(JSON.parse(s.json)));
      this.rbs.set(namespace, out);
    }
    return out;
  }

  clusterRoleRules(name: string): PolicyRule[] | undefined {
    let rules = this.clusterRoles.get(name);
    if (rules === undefined) {
      const s = this.store.getStored(CLUSTER_ROLES, '', name);
      rules = s ? toRules(JSON.parse(s.json)) : null;
      this.clusterRoles.set(name, rules);
    }
    return rules ?? undefined;
  }

  roleRules(namespace: string, name: string): PolicyRule[] | undefined {
    const key = `${namespace}/${name}`;
    let rules = this.roles.get(key);
    if (rules === undefined) {
      const s = this.store.getStored(ROLES, namespace, name);
      rules = s ? toRules(JSON.parse(s.json)) : null;
      this.roles.set(key, rules);
    }
    return rules ?? undefined;
  }
}
